/** What the engine needs from its host (the language server, the CLI or a test). */

export interface Logger {
  error(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  debug(message: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

export type FileType = 'file' | 'directory';

/** A read-only view of the files of a workspace, addressed by `file:` URI strings. */
export interface FileSystem {
  readFile(uri: string): Promise<string | undefined>;
  stat(uri: string): Promise<FileType | undefined>;
  readDirectory(uri: string): Promise<[string, FileType][]>;
}

/**
 * Whether the host still wants an answer (the editor cancels a request when the user typed on).
 * vscode-languageserver's token fits this shape; the engine needs nothing else of it.
 */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const CancellationToken = {
  /** For hosts that never cancel (the CLI, tests). */
  None: { isCancellationRequested: false } as CancellationToken,
};
