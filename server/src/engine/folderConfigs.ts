import type { ClarifierConfig } from './config';

/**
 * The config file of each workspace folder (`.clarifier.json` or `clarifier.config.json`): a file
 * takes the config of the innermost folder that holds it, so with several folders open each
 * folder's file applies to its own specs and no folder's file wins for all of them.
 */
export class FolderConfigs {
  private readonly byFolder = new Map<string, ClarifierConfig | undefined>();

  /** Folder URIs, kept without a trailing slash. */
  setFolders(folders: string[]): void {
    this.byFolder.clear();
    for (const folder of folders) this.byFolder.set(trimSlash(folder), undefined);
  }

  get folders(): string[] {
    return [...this.byFolder.keys()];
  }

  set(folder: string, config: ClarifierConfig | undefined): void {
    this.byFolder.set(trimSlash(folder), config);
  }

  /** The innermost workspace folder holding `uri`, if any. */
  folderOf(uri: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.byFolder.keys()) {
      if ((uri === folder || uri.startsWith(folder + '/')) && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The config file layer for a file: its folder's, else (a file outside every folder) the first folder's. */
  forUri(uri: string): ClarifierConfig | undefined {
    const folder = this.folderOf(uri) ?? this.folders[0];
    return folder === undefined ? undefined : this.byFolder.get(folder);
  }
}

function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}
