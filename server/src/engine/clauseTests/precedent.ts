import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { ChatMessage } from '../llm/client';
import type { Clause, Example, Section, SpecDocument } from '../model';
import { exampleFileUri, type SpecWorkspace } from '../workspace';

/**
 * "Record as precedent": a decided answer becomes an example of its clause, written in the spec's
 * own transcript syntax, so that the next run tests it. The engine builds the edit; the editor (or
 * the CLI) applies it.
 */
export interface PrecedentInput {
  /** The spec file that holds the clause. */
  uri: string;
  /** A clause-test unit id (a clause's marker or a section id), or any clause's id in that file. */
  unitId: string;
  /** The example the answer replies to (`ExampleResult.exampleKey`): its conversation is copied verbatim. */
  exampleKey?: string;
  /** Without an example: the conversation that motivated the precedent, e.g. the case behind a Clarify answer. */
  messages?: ChatMessage[];
  answer: string;
  label: 'GOOD' | 'BAD';
  reason?: string;
  /** The `**Example**:` title; default: the source example's title, or the first user turn. */
  title?: string;
}

export interface PrecedentEdit {
  edit: WorkspaceEdit;
  /** Where the example goes. */
  targetUri: string;
  /** How it is filed: in examples/<id>.md (new or existing) or inline in the spec's section. */
  placement: 'example-file' | 'new-example-file' | 'inline';
  /** The marker the clause carries (or gets) for an example file. */
  markerId?: string;
  /** The new example's text, as inserted. */
  exampleText: string;
}

export class PrecedentError extends Error {}

/** Builds the edit that records a precedent; throws PrecedentError with what to do instead. */
export function precedentEdit(workspace: SpecWorkspace, input: PrecedentInput): PrecedentEdit {
  const doc = workspace.get(input.uri);
  if (!doc) throw new PrecedentError(`${input.uri} is not open or not in the workspace: open the spec first`);
  if (doc.exampleFileHeader)
    throw new PrecedentError('record a precedent on the clause in the spec, not in its example file');
  if (input.label !== 'GOOD' && input.label !== 'BAD')
    throw new PrecedentError(`the label must be GOOD or BAD, not "${String(input.label)}"`);
  if (!input.answer.trim()) throw new PrecedentError('the answer is empty: there is nothing to record');
  if (/<\/assistant\s*>/i.test(input.answer))
    throw new PrecedentError(
      'the answer contains </assistant>, which would end the transcript’s answer early: edit it out first',
    );
  const clause =
    doc.clauses.find((c) => c.markers.some((m) => m.id === input.unitId)) ??
    doc.clauses.find((c) => c.id === input.unitId);
  const section = clause
    ? doc.sections.find((s) => s.id === clause.sectionId)
    : doc.sections.find((s) => s.id === input.unitId);
  if (!clause && !section && input.unitId !== 'preamble')
    throw new PrecedentError(`no clause or section "${input.unitId}" in ${input.uri}`);

  const source = input.exampleKey ? sourceExample(workspace, input.exampleKey) : undefined;
  if (input.exampleKey && !source)
    throw new PrecedentError(
      `the example ${input.exampleKey} is gone (the file changed since the run): run the clause again`,
    );
  const conversation = source
    ? conversationText(source.doc, source.example)
    : input.messages?.length
      ? input.messages.map(serialise).join('\n')
      : undefined;
  if (!conversation)
    throw new PrecedentError(
      'a precedent needs the conversation the answer replies to: give an example of the run or the messages',
    );
  const title = oneLine(
    input.title ||
      (source ? `${source.example.title} (precedent)` : firstUserTurn(input.messages ?? []) || 'precedent'),
  );
  const fence = source?.example.fenceSpan
    ? fenceOf(source.doc.text.slice(source.example.fenceSpan.start, source.example.fenceSpan.end))
    : fenceIn(doc);
  const exampleText = exampleBlock(title, fence, conversation, input);

  // a clause with a marker files its precedents where its examples live
  const marker = clause?.markers[0]?.id;
  if (clause && marker) return inExampleFile(workspace, doc, clause, marker, section, exampleText, []);
  // a clause without one gets a marker when the spec keeps its examples in example files
  if (clause && usesExampleFiles(workspace, doc)) {
    const id = newMarkerId(workspace, doc, clause);
    return inExampleFile(workspace, doc, clause, id, section, exampleText, [markerEdit(doc, clause, id)]);
  }
  return inline(doc, section, exampleText);
}

function inExampleFile(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  clause: Clause,
  markerId: string,
  section: Section | undefined,
  exampleText: string,
  specEdits: TextEdit[],
): PrecedentEdit {
  const expected = exampleFileUri(doc.uri, markerId);
  const files = workspace.exampleFiles(markerId, doc.uri);
  const existing = files.find((f) => f.uri === expected) ?? files[0];
  const specChange: TextDocumentEdit[] = specEdits.length
    ? [{ textDocument: { uri: doc.uri, version: null }, edits: specEdits }]
    : [];
  if (existing) {
    const end = existing.lines.positionAt(existing.text.length);
    const gap = existing.text.endsWith('\n\n') ? '' : existing.text.endsWith('\n') ? '\n' : '\n\n';
    const newText = gap + exampleText;
    return {
      edit: {
        documentChanges: [
          ...specChange,
          { textDocument: { uri: existing.uri, version: null }, edits: [{ range: { start: end, end }, newText }] },
        ],
      },
      targetUri: existing.uri,
      placement: 'example-file',
      markerId,
      exampleText,
    };
  }
  const title = section?.title || clause.plain.slice(0, 60);
  const header = `Examples for [^${markerId}] in ${oneLine(title)}:\n\n`;
  const create: CreateFile = { kind: 'create', uri: expected, options: { ignoreIfExists: true } };
  const zero = { line: 0, character: 0 };
  return {
    edit: {
      documentChanges: [
        ...specChange,
        create,
        {
          textDocument: { uri: expected, version: null },
          edits: [{ range: { start: zero, end: zero }, newText: header + exampleText }],
        },
      ],
    },
    targetUri: expected,
    placement: 'new-example-file',
    markerId,
    exampleText,
  };
}

/** At the end of the section's own text, before its first sub-heading: where its inline examples belong. */
function inline(doc: SpecDocument, section: Section | undefined, exampleText: string): PrecedentEdit {
  const start = section ? section.headingSpan.end : 0;
  const next = doc.sections
    .filter((s) => s.headingSpan.start >= Math.max(start, 1) && s !== section)
    .sort((a, b) => a.headingSpan.start - b.headingSpan.start)[0];
  const end = next ? next.headingSpan.start : doc.text.length;
  let offset = end;
  // after the section's last non-blank line; the blank lines before the next heading are rewritten
  while (offset > start && /\s/.test(doc.text[offset - 1])) offset--;
  const range = { start: doc.lines.positionAt(offset), end: doc.lines.positionAt(end) };
  return {
    edit: {
      documentChanges: [
        {
          textDocument: { uri: doc.uri, version: null },
          edits: [{ range, newText: '\n\n' + exampleText + (next ? '\n' : '') }],
        },
      ],
    },
    targetUri: doc.uri,
    placement: 'inline',
    exampleText,
  };
}

function exampleBlock(
  title: string,
  fence: { open: string; close: string },
  conversation: string,
  input: PrecedentInput,
): string {
  const reason = input.reason ? oneLine(input.reason).replace(/--+>?/g, '-') : '';
  const answer = input.answer.replace(/\s+$/, '');
  const body = `${conversation}\n<comparison>\n<assistant> <!-- ${input.label}${reason ? `: ${reason}` : ''} -->\n${answer}\n</assistant>\n</comparison>`;
  // a fence inside the answer must not end the transcript: use a longer one
  let { open, close } = fence;
  while (body.split('\n').some((line) => line.trim().startsWith(close))) {
    open = close[0] + open;
    close = close[0] + close;
  }
  return `**Example**: ${title}\n\n${open}\n${body}\n${close}\n`;
}

function fenceOf(line: string): { open: string; close: string } {
  const match = /^(\s*)(~{3,}|`{3,})\s*(\w*)/.exec(line);
  if (!match) return { open: '~~~xml', close: '~~~' };
  return { open: `${match[2]}${match[3] || 'xml'}`, close: match[2] };
}

/** The fence the spec's own examples use, else the Model Spec's `~~~xml`. */
function fenceIn(doc: SpecDocument): { open: string; close: string } {
  const example = doc.examples.find((e) => e.fenceSpan);
  return example?.fenceSpan
    ? fenceOf(doc.text.slice(example.fenceSpan.start, example.fenceSpan.end))
    : { open: '~~~xml', close: '~~~' };
}

function sourceExample(workspace: SpecWorkspace, key: string): { doc: SpecDocument; example: Example } | undefined {
  const hash = key.lastIndexOf('#');
  const doc = workspace.get(key.slice(0, hash));
  const example = doc?.examples[Number(key.slice(hash + 1)) - 1];
  return doc && example?.transcript ? { doc, example } : undefined;
}

/** The turns the model answered, verbatim: everything before the last non-assistant turn's answers. */
function conversationText(doc: SpecDocument, example: Example): string | undefined {
  const messages = example.transcript!.messages;
  const firstCompared = messages.findIndex((m) => m.comparison !== undefined);
  const before = firstCompared < 0 ? messages : messages.slice(0, firstCompared);
  let last = -1;
  before.forEach((m, i) => {
    if (m.role !== 'assistant') last = i;
  });
  if (last < 0) return undefined;
  return doc.text.slice(before[0].span.start, before[last].span.end);
}

function serialise(message: ChatMessage): string {
  return `<${message.role}>\n${message.content.replace(/\s+$/, '')}\n</${message.role}>`;
}

function firstUserTurn(messages: ChatMessage[]): string {
  const text = messages.find((m) => m.role === 'user')?.content ?? '';
  const line = oneLine(text);
  return line.length > 60 ? line.slice(0, 57) + '…' : line;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The spec keeps examples in examples/<id>.md: one of its markers has an example file. */
function usesExampleFiles(workspace: SpecWorkspace, doc: SpecDocument): boolean {
  return doc.markers.some((m) => workspace.exampleFiles(m.id, doc.uri).length > 0);
}

/** A readable id from the clause's words, unique among the workspace's markers. */
export function newMarkerId(workspace: SpecWorkspace, doc: SpecDocument, clause: Clause): string {
  const words = clause.plain
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length >= 4 && !STOP.has(w));
  const base = (words.slice(0, 3).join('-') || clause.sectionId || 'clause').slice(0, 32).replace(/-+$/, '');
  const taken = new Set([...workspace.allMarkerIds(), ...doc.markers.map((m) => m.id)]);
  let id = base;
  for (let n = 2; taken.has(id) || workspace.exampleFiles(id).length || workspace.get(exampleFileUri(doc.uri, id)); n++)
    id = `${base}-${n}`;
  return id;
}

const STOP = new Set([
  'assistant',
  'should',
  'must',
  'shall',
  'never',
  'always',
  'that',
  'this',
  'with',
  'when',
  'which',
  'their',
  'they',
  'from',
  'into',
  'than',
  'then',
  'will',
  'would',
  'could',
  'what',
  'where',
  'there',
  'these',
  'those',
  'about',
  'unless',
  'model',
]);

/** `[^id]` at the end of the clause, before its final punctuation, as the Model Spec writes it. */
function markerEdit(doc: SpecDocument, clause: Clause, id: string): TextEdit {
  const text = doc.text.slice(clause.span.start, clause.span.end);
  const trimmed = text.replace(/\s+$/, '');
  const punctuation = /[.!?:;]["')\]*_]*$/.exec(trimmed);
  const offset = clause.span.start + (punctuation ? punctuation.index : trimmed.length);
  const position = doc.lines.positionAt(offset);
  return { range: { start: position, end: position }, newText: `[^${id}]` };
}
