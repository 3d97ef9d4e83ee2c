import { spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';

export interface SourceServer {
  connection: MessageConnection;
  initializeResult: { capabilities: Record<string, unknown> };
  stop(): Promise<void>;
}

/**
 * Starts the language server from its TypeScript source (through tsx) over stdio, initialized with
 * one workspace folder. `handle` registers the client-side handlers a test needs (configuration,
 * refresh requests) before the connection listens; the usual no-op requests are answered already.
 */
export async function startSourceServer(folder: string, capabilities: Record<string, unknown>, handle: (connection: MessageConnection) => void = () => {}, initializationOptions?: Record<string, unknown>): Promise<SourceServer> {
  const serverSource = path.resolve(__dirname, '..', '..', 'server', 'src', 'server.ts');
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, serverSource, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onNotification(() => {});
  handle(connection);
  connection.listen();
  const root = URI.file(folder).toString();
  const initializeResult = await connection.sendRequest<SourceServer['initializeResult']>('initialize', {
    processId: process.pid,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: path.basename(folder) }],
    capabilities,
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    initializeResult,
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      child.kill();
    },
  };
}
