import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';

/**
 * Applies a WorkspaceEdit to files on disk, for the CLI: file creations, then text edits. Every
 * file's new text is computed before anything is written, so a bad edit writes nothing.
 * Returns the paths written.
 */
export function applyWorkspaceEditToDisk(edit: WorkspaceEdit): string[] {
  const texts = new Map<string, string>();
  const read = (file: string) => texts.get(file) ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`the CLI does not ${change.kind} files`);
      const file = URI.parse(change.uri).fsPath;
      if (read(file) === undefined) texts.set(file, '');
      else if (!change.options?.ignoreIfExists && !change.options?.overwrite) throw new Error(`${file} already exists`);
      continue;
    }
    const file = URI.parse(change.textDocument.uri).fsPath;
    const text = read(file);
    if (text === undefined) throw new Error(`${file} does not exist`);
    texts.set(
      file,
      TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'markdown', 0, text), change.edits),
    );
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const file = URI.parse(uri).fsPath;
    const text = read(file);
    if (text === undefined) throw new Error(`${file} does not exist`);
    texts.set(file, TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 0, text), edits));
  }
  for (const [file, text] of texts) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return [...texts.keys()];
}
