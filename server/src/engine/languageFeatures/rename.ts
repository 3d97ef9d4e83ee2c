import type {
  Position,
  Range,
  RenameFile,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { SpecDocument } from '../model';
import { safeDecode, type Span } from '../text';
import type { SpecWorkspace } from '../workspace';
import { markerIdUses, rangeOf, sectionIdUses, sectionsById, targetAt } from './locate';

/** A rename the user asked for cannot be done; the message says why and what would work. */
export class RenameError extends Error {}

export interface RenameOptions {
  /** The client can rename files inside a workspace edit (`workspace.workspaceEdit.resourceOperations` has "rename"). */
  renameFiles: boolean;
  /** The client takes `documentChanges` (versioned edits) rather than `changes`. */
  documentChanges: boolean;
  /** The editor's version of an open document, or null for a file on disk. */
  versionOf?: (uri: string) => number | null;
}

export interface RenameResult {
  edit: WorkspaceEdit;
  /** Things the user should know, e.g. that the example file could not be renamed. */
  notes: string[];
}

type RenameTarget = { kind: 'section' | 'marker'; id: string; span: Span };

function renameTarget(workspace: SpecWorkspace, doc: SpecDocument, position: Position): RenameTarget {
  const target = targetAt(doc, doc.lines.offsetAt(position));
  if (!target)
    throw new RenameError(
      'Rename works on a section id ({#id}, (#id), file.md#id) or a marker ([^id]); the cursor is on neither.',
    );
  switch (target.kind) {
    case 'marker':
    case 'headerMarker':
      return { kind: 'marker', id: target.id, span: target.span };
    case 'heading':
      if (!target.section.explicitId)
        throw new RenameError(
          `The heading "${target.section.title}" has no {#id}: its id "${target.id}" comes from the title. Add {#${target.id}} to the heading to give it an id that can be renamed.`,
        );
      return { kind: 'section', id: target.id, span: target.section.idSpan! };
    case 'reference':
    case 'labelReference': {
      if (!target.id) throw new RenameError('This link names no section id to rename.');
      const sections = sectionsById(workspace, doc, target.id);
      if (!sections.length)
        throw new RenameError(
          `No section has the id "${target.id}", so there is nothing to rename: fix the reference instead.`,
        );
      const slugOnly = sections.find((s) => !s.section.explicitId);
      if (slugOnly)
        throw new RenameError(
          `The heading "${slugOnly.section.title}" has no {#id}: add {#${target.id}} to it before renaming.`,
        );
      return { kind: 'section', id: target.id, span: target.span };
    }
    case 'headerTitle':
      throw new RenameError(
        'The section title in an example file header is renamed by renaming the heading text, not its id.',
      );
  }
}

/** The range to rename and its current text, or a RenameError saying why nothing can be renamed here. */
export function prepareRename(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  position: Position,
): { range: Range; placeholder: string } {
  const target = renameTarget(workspace, doc, position);
  return { range: rangeOf(doc, target.span), placeholder: target.id };
}

/** Ids appear in links and file names: longer than this is a paste accident, and some file systems refuse it. */
const MAX_ID_LENGTH = 100;

const FORBIDDEN = /[\s{}[\]()#^"'<>`\\/]/;

export function validateNewId(
  workspace: SpecWorkspace,
  kind: 'section' | 'marker',
  oldId: string,
  newId: string,
): void {
  const what = kind === 'section' ? 'section id' : 'marker id';
  if (!newId) throw new RenameError(`A ${what} cannot be empty.`);
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(newId))
    throw new RenameError(`The new ${what} contains a control character: use letters, digits, "_", "-" or ".".`);
  if (newId.length > MAX_ID_LENGTH)
    throw new RenameError(
      `The new ${what} is ${newId.length} characters long; keep it under ${MAX_ID_LENGTH}, e.g. ${kind === 'section' ? 'follow_instructions' : 'ab12'}.`,
    );
  const bad = FORBIDDEN.exec(newId);
  if (bad) {
    const shown = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
    throw new RenameError(
      `"${newId}" is not a valid ${what}: it contains ${shown}. Use letters, digits, "_", "-" or ".", e.g. ${kind === 'section' ? 'follow_instructions' : 'ab12'}.`,
    );
  }
  if (newId === oldId) return;
  if (kind === 'section') {
    const taken = workspace.sections(newId)[0];
    if (taken)
      throw new RenameError(
        `The section id "${newId}" is already used by "${taken.section.title}" in ${workspace.relativePath(taken.doc.uri)}: choose another id.`,
      );
  } else {
    const { uses, headers } = markerIdUses(workspace, newId);
    if (uses.length || headers.length || workspace.exampleFiles(newId).length)
      throw new RenameError(
        `The marker id "${newId}" is already in use${headers.length ? ` (examples/${newId}.md exists)` : ''}: choose another id.`,
      );
  }
}

/**
 * Renames a section id (`{#id}`, every `(#id)`, `file.md#id` and `[#id]` label) or a marker id
 * (every `[^id]`, the example file's header and the file `examples/<id>.md` itself).
 */
export function rename(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  position: Position,
  newName: string,
  options: RenameOptions,
): RenameResult {
  const target = renameTarget(workspace, doc, position);
  const newId = newName.trim();
  validateNewId(workspace, target.kind, target.id, newId);
  const edits = new Map<string, { doc: SpecDocument; spans: Span[] }>();
  const add = (d: SpecDocument, span: Span) => {
    let entry = edits.get(d.uri);
    if (!entry) edits.set(d.uri, (entry = { doc: d, spans: [] }));
    if (!entry.spans.some((s) => s.start === span.start)) entry.spans.push(span);
  };
  const notes: string[] = [];
  const fileRenames: RenameFile[] = [];
  if (target.kind === 'section') {
    for (const { doc: d, section } of sectionsById(workspace, doc, target.id))
      if (section.idSpan) add(d, section.idSpan);
    for (const use of sectionIdUses(workspace, target.id)) add(use.doc, use.span);
    if (!workspace.isSpec(doc.uri))
      for (const r of doc.references) if (r.kind === 'section' && r.targetId === target.id) add(doc, r.targetSpan);
  } else {
    const { uses, headers } = markerIdUses(workspace, target.id);
    for (const use of [...uses, ...headers]) add(use.doc, use.span);
    add(doc, target.span); // the marker under the cursor, even in a file not (yet) counted as a spec
    for (const file of workspace.exampleFiles(target.id)) {
      const match = /^(.*\/)([^/]+)\.md$/i.exec(file.uri);
      if (!match || safeDecode(match[2]) !== target.id) continue;
      const newUri = `${match[1]}${encodeURIComponent(newId)}.md`;
      if (options.renameFiles && options.documentChanges)
        fileRenames.push({
          kind: 'rename',
          oldUri: file.uri,
          newUri,
          options: { overwrite: false, ignoreIfExists: false },
        });
      else
        notes.push(
          `The client cannot rename files in a workspace edit: rename ${workspace.relativePath(file.uri)} to ${encodeURIComponent(newId)}.md by hand.`,
        );
    }
  }
  const textEdits = (entry: { doc: SpecDocument; spans: Span[] }): TextEdit[] =>
    entry.spans.sort((a, b) => a.start - b.start).map((span) => ({ range: rangeOf(entry.doc, span), newText: newId }));
  if (!options.documentChanges) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, entry] of edits) changes[uri] = textEdits(entry);
    return { edit: { changes }, notes };
  }
  // text edits address the files by their old names, so the file renames come last
  const documentChanges: (TextDocumentEdit | RenameFile)[] = [...edits].map(([uri, entry]) => ({
    textDocument: { uri, version: options.versionOf?.(uri) ?? null },
    edits: textEdits(entry),
  }));
  documentChanges.push(...fileRenames);
  return { edit: { documentChanges }, notes };
}
