import * as vscode from 'vscode';
import type { Logger } from '../../server/src/engine/modelFeatures';

/** The engine's Logger over the extension's log channel: structured data as JSON after the message. */
export function channelLogger(output: vscode.LogOutputChannel): Logger {
  const line = (message: string, data?: Record<string, unknown>) =>
    `${message}${data ? ' ' + JSON.stringify(data) : ''}`;
  return {
    error: (message, data) => output.error(line(message, data)),
    warn: (message, data) => output.warn(line(message, data)),
    info: (message, data) => output.info(line(message, data)),
    debug: (message, data) => output.debug(line(message, data)),
  };
}

/** An OutputChannel for the language client that writes each line at its level into a log channel. */
export function leveledChannel(log: vscode.LogOutputChannel): vscode.OutputChannel {
  const write = (text: string) => {
    for (const line of text.replace(/\n$/, '').split('\n')) {
      // "[Error - 9:41:00 PM] [error] message": the client's prefix, then the server's own level
      const client = /^\[(Error|Warn|Info|Debug|Trace|Log)\s*- [^\]]*\] ?/.exec(line);
      let message = client ? line.slice(client[0].length) : line;
      let level = client?.[1].toLowerCase() ?? 'info';
      const server = /^\[(error|warn|info|debug)\] /.exec(message);
      if (server) {
        level = server[1];
        message = message.slice(server[0].length);
      }
      if (level === 'error') log.error(message);
      else if (level === 'warn') log.warn(message);
      else if (level === 'debug') log.debug(message);
      else log.info(message);
    }
  };
  return {
    name: log.name,
    append: write,
    appendLine: write,
    replace: (value: string) => {
      log.clear();
      write(value);
    },
    clear: () => log.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      log.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus),
    hide: () => log.hide(),
    dispose: () => undefined, // the log channel belongs to the extension, not to one client
  };
}

/** Debug lines are dropped by the channel itself unless its own level allows them: say how. */
export function warnIfDebugHidden(output: vscode.LogOutputChannel): void {
  const wanted = vscode.workspace.getConfiguration('clarifier').get<string>('logLevel', 'info');
  if (wanted === 'debug' && output.logLevel > vscode.LogLevel.Debug) {
    output.warn(
      'clarifier.logLevel is "debug", but this channel shows info and above: run "Developer: Set Log Level...", pick "Thought Clarifier" and choose Debug to see the debug lines.',
    );
  }
}
