import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import {
  createLanguageService,
  type FileSystem,
  type LanguageService,
  type Logger,
  type ResolvedConfig,
} from '../engine/languageService';
import { UsageError } from './usage';

/** What a CLI command was asked to check: files (named outright, or found by a glob) and folders. */
export interface CliTargets {
  files: string[];
  folders: string[];
  /** The files named outright, not found by a glob. */
  named: Set<string>;
}

export interface LoadedTargets {
  service: LanguageService;
  /** The URIs of the target files, whether or not they could be checked. */
  explicit: Set<string>;
  /** Whether a file lies in one of the target folders. */
  inFolders: (uri: string) => boolean;
}

/**
 * A language service holding what `command` checks, and only that. A named folder is read whole; a
 * named file is read with what it links to and its example files (readLinked), never with its whole
 * folder: checking one file must not open a huge or broken sibling it does not mention, nor pick up
 * another spec's examples. The file's folder is still a root: paths (names and places, config globs)
 * are relative to it as before. `lint` and `test` share this, so that both read the same files.
 */
export async function loadTargets(
  targets: CliTargets,
  options: {
    command: string;
    cwd: string;
    config: ResolvedConfig;
    fileSystem: FileSystem;
    logger: Logger;
  },
): Promise<LoadedTargets> {
  const { files, folders, named } = targets;
  const roots = [...new Set([...folders, ...files.map((file) => path.dirname(file))])];
  // config globs are relative to the working folder (where the config file is), as in the editor where they are relative to the workspace folder
  const service = createLanguageService({
    fileSystem: options.fileSystem,
    logger: options.logger,
    roots: roots.map((root) => URI.file(root).toString()),
    globBase: URI.file(options.cwd).toString(),
    // a one-shot run never edits a document: the parser keeps no per-block state for re-parsing
    documentsAreEdited: false,
  });
  service.setWorkspaceConfig(options.config);
  await service.scanFolders(folders.map((folder) => URI.file(folder).toString()));
  for (const file of files) {
    const uri = URI.file(file).toString();
    if (service.isExcluded(uri)) {
      // files a glob found are left out quietly; a file named outright deserves a word
      if (named.has(file))
        options.logger.warn(
          `${path.relative(options.cwd, file)} matches an "exclude" glob of the config and is not checked`,
        );
      continue;
    }
    // read here rather than through the workspace, so that an unreadable file is an error naming it
    if (service.indexedVersion(uri) === undefined) service.updateDocument(uri, readTarget(file, options.command), 0);
    service.markAsSpec(uri);
    await service.readLinked(uri);
  }
  return {
    service,
    explicit: new Set(files.map((file) => URI.file(file).toString())),
    inFolders: (uri) => folders.some((folder) => URI.parse(uri).fsPath.startsWith(folder + path.sep)),
  };
}

function readTarget(file: string, command: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // as the editor shows it
  } catch (error) {
    throw new UsageError(
      `clarifier ${command}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
