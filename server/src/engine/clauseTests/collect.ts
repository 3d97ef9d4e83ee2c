import { sha256Hex } from '../hash';
import type { ChatMessage } from '../llm/client';
import type { Example, Message, Section, SpecDocument } from '../model';
import type { SpecWorkspace } from '../workspace';
import { defaultContext, sectionContextText } from './context';
import type { ClauseTestExample, ClauseTestUnit, ReferenceAnswer } from './types';

/**
 * The clause-test units of one spec file: each clause whose `[^id]` markers have example files,
 * and each section with inline `**Example**:` transcripts. Example files themselves have no
 * units: their examples belong to the clause that links them.
 */
export function collectUnits(doc: SpecDocument, workspace: SpecWorkspace): ClauseTestUnit[] {
  if (doc.exampleFileHeader) return [];
  // the same parse of this file and the same parses of its example files: the same units
  const exampleDocs = doc.markers.flatMap((marker) => workspace.exampleFiles(marker.id, doc.uri));
  const memo = unitsByDoc.get(doc);
  if (memo && memo.exampleDocs.length === exampleDocs.length && memo.exampleDocs.every((d, i) => d === exampleDocs[i]))
    return memo.units;
  const units = buildUnits(doc, workspace);
  unitsByDoc.set(doc, { exampleDocs, units });
  return units;
}

const unitsByDoc = new WeakMap<SpecDocument, { exampleDocs: SpecDocument[]; units: ClauseTestUnit[] }>();

function buildUnits(doc: SpecDocument, workspace: SpecWorkspace): ClauseTestUnit[] {
  const units: ClauseTestUnit[] = [];
  const sectionsById = new Map(doc.sections.map((section) => [section.id, section]));
  const sectionTexts = normativeTextBySection(doc);
  const sectionText = (id: string) => sectionTexts.get(id) ?? '';
  for (const clause of doc.clauses) {
    if (!clause.markers.length) continue;
    const examples: ClauseTestExample[] = [];
    const seenFiles = new Set<string>();
    for (const marker of clause.markers) {
      for (const file of workspace.exampleFiles(marker.id, doc.uri)) {
        if (seenFiles.has(file.uri)) continue;
        seenFiles.add(file.uri);
        file.examples.forEach((example, index) => examples.push(toTestExample(file, example, index)));
      }
    }
    if (!examples.length) continue;
    const section = clause.sectionId ? sectionsById.get(clause.sectionId) : undefined;
    units.push(
      makeUnit(
        doc,
        'clause',
        clause.id,
        doc.lines.range(clause.span.start, clause.span.end),
        clause.plain,
        section,
        sectionText(section?.id ?? ''),
        examples,
      ),
    );
  }
  const inline = new Map<string, { section?: Section; examples: ClauseTestExample[] }>();
  doc.examples.forEach((example, index) => {
    if (example.markerId) return;
    const key = example.sectionId ?? '';
    let group = inline.get(key);
    if (!group)
      inline.set(
        key,
        (group = { section: example.sectionId ? sectionsById.get(example.sectionId) : undefined, examples: [] }),
      );
    group.examples.push(toTestExample(doc, example, index));
  });
  for (const [sectionId, group] of inline) {
    const section = group.section;
    const text = sectionText(sectionId) || section?.title || 'the document preamble';
    const range = section ? doc.lines.range(section.headingSpan.start, section.headingSpan.end) : doc.lines.range(0, 0);
    units.push(
      makeUnit(
        doc,
        'section',
        sectionId || 'preamble',
        range,
        text,
        section,
        section ? sectionText(section.id) : '',
        group.examples,
      ),
    );
  }
  return units;
}

/** Units from every spec file, for a run over a whole workspace. */
export function collectAllUnits(
  workspace: SpecWorkspace,
  include: (uri: string) => boolean = () => true,
): ClauseTestUnit[] {
  return workspace
    .specDocuments()
    .filter((doc) => include(doc.uri))
    .sort((a, b) => a.uri.localeCompare(b.uri))
    .flatMap((doc) => collectUnits(doc, workspace));
}

function makeUnit(
  doc: SpecDocument,
  kind: ClauseTestUnit['kind'],
  id: string,
  range: ClauseTestUnit['range'],
  clauseText: string,
  section: Section | undefined,
  sectionText: string,
  examples: ClauseTestExample[],
): ClauseTestUnit {
  const chosen = defaultContext(doc);
  const unit: Omit<ClauseTestUnit, 'hash'> = {
    id,
    kind,
    uri: doc.uri,
    range,
    clauseText,
    sectionId: section?.id,
    sectionTitle: section?.title ?? '',
    authority: section?.authority,
    sectionText,
    sectionContext: sectionContextText(doc, section),
    defaultContext: chosen.context,
    defaultContextReason: chosen.reason,
    examples,
  };
  return {
    ...unit,
    hash: hashOf([
      unit.clauseText,
      unit.sectionTitle,
      unit.authority ?? '',
      examples.map((e) => contentHashes.get(e) ?? hashOf([e.messages, e.references])),
    ]),
  };
}

/** Each section's own normative sentences, joined: the grader's context and an inline-example section's clause. */
function normativeTextBySection(doc: SpecDocument): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const clause of doc.clauses) {
    if (clause.commentary) continue;
    const key = clause.sectionId ?? '';
    const list = parts.get(key);
    if (list) list.push(clause.plain);
    else parts.set(key, [clause.plain]);
  }
  return new Map([...parts].map(([key, list]) => [key, list.join(' ')]));
}

/** Conversions by example source text: a lens request after a keystroke converts only the examples it touched. */
const conversions = new Map<
  string,
  { messages: ChatMessage[]; references: ReferenceAnswer[]; skip?: string; hash: string }
>();
const contentHashes = new WeakMap<ClauseTestExample, string>();

function toTestExample(doc: SpecDocument, example: Example, index: number): ClauseTestExample {
  const base = {
    key: `${doc.uri}#${index + 1}`,
    title: example.title,
    uri: doc.uri,
    range: doc.lines.range(example.titleSpan.start, example.titleSpan.end),
  };
  const source = doc.text.slice(example.span.start, example.span.end);
  let converted = conversions.get(source);
  if (!converted) {
    const { messages, references, skip } = example.transcript
      ? conversationOf(example.transcript.messages)
      : { messages: [], references: [], skip: 'the example has no ~~~xml transcript after its title' };
    converted = { messages, references, skip, hash: hashOf([messages, references]) };
    if (conversions.size > 20_000) conversions.clear();
    conversions.set(source, converted);
  }
  const result: ClauseTestExample = {
    ...base,
    messages: converted.messages,
    references: converted.references,
    skip: converted.skip,
  };
  contentHashes.set(result, converted.hash);
  return result;
}

/**
 * A transcript as chat messages. The model answers the last non-assistant turn: answers in a
 * `<comparison>` and assistant turns after that last turn are the spec's reference answers, not
 * part of the conversation.
 */
export function conversationOf(transcript: Message[]): {
  messages: ChatMessage[];
  references: ReferenceAnswer[];
  skip?: string;
} {
  const firstCompared = transcript.findIndex((m) => m.comparison !== undefined);
  const before = firstCompared < 0 ? transcript : transcript.slice(0, firstCompared);
  let lastTurn = -1;
  before.forEach((message, index) => {
    if (message.role !== 'assistant') lastTurn = index;
  });
  const references: ReferenceAnswer[] = [];
  for (const message of before.slice(lastTurn + 1))
    references.push({ label: message.label?.value, reason: message.label?.reason, content: message.content });
  for (const message of transcript) {
    if (message.comparison !== undefined && message.role === 'assistant')
      references.push({ label: message.label?.value, reason: message.label?.reason, content: message.content });
  }
  const messages = before.slice(0, lastTurn + 1).map(toChatMessage);
  if (lastTurn < 0)
    return {
      messages,
      references,
      skip: 'the transcript has no system, developer, user or tool turn for the model to answer',
    };
  return { messages, references };
}

function toChatMessage(message: Message): ChatMessage {
  const content = message.content;
  switch (message.role) {
    case 'tool': {
      // a bare tool message needs a tool_call_id that a transcript does not have: show it as what it is, tool output
      const name = message.attributes.name ?? message.attributes.recipient;
      return { role: 'user', content: `[output of the ${name ? `"${name}" ` : ''}tool]\n${content}` };
    }
    case 'assistant': {
      const recipient = message.attributes.recipient;
      return {
        role: 'assistant',
        content: recipient && recipient !== 'user' ? `[to ${recipient}]\n${content}` : content,
      };
    }
    default:
      return { role: message.role, content };
  }
}

export function hashOf(value: unknown): string {
  return sha256Hex(JSON.stringify(value));
}
