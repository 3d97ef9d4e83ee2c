import type { SpecDocument } from '../../model';
import type { Span } from '../../text';
import type { Fix } from '../types';

export interface DefinedTerm {
  /** As written at its definition. */
  term: string;
  key: string;
  span: Span;
}

const DEFINITIONS_TITLE = /^(?:definitions?|glossary|terminology|terms(?: and definitions)?|key terms)$/i;
const DEFINING_WORDS = /\b(?:called|known as|refer(?:s|red)? to (?:\w+ )?as|we call|means|mean|is defined as|are defined as|denotes|stands for|we use the term)\b/i;
const EMPHASIS = /(\*\*|__|\*|_)([^*_\n`]{2,60}?)\1/g;

export function termKey(term: string): string {
  return term.toLowerCase().replace(/[\s-]+/g, ' ').replace(/(?<=\w{3})(?:es|s)$/, '').trim();
}

const cache = new WeakMap<SpecDocument, DefinedTerm[]>();

/**
 * Terms the document defines: `**Term**:` entries, entries of a Definitions/Glossary section, and
 * emphasised phrases introduced by a defining verb ("called the **assistant**").
 */
export function definedTerms(doc: SpecDocument): DefinedTerm[] {
  const cached = cache.get(doc);
  if (cached) return cached;
  const terms: DefinedTerm[] = [];
  const definitionSections = doc.sections.filter((s) => DEFINITIONS_TITLE.test(s.title.trim()));
  const inDefinitions = (offset: number) => definitionSections.some((s) => offset >= s.span.start && offset < s.span.end);
  for (const sentence of doc.sentences) {
    const head = /^\s*(?:\*\*|__|\*|_)([^*_\n]{1,60}?)(?:\*\*|__|\*|_)\s*(?::|—|–| - |\()/.exec(sentence.text) ?? (inDefinitions(sentence.span.start) ? /^\s*([\p{L}][\p{L}\p{N} -]{0,50}?)\s*(?::|—|–)/u.exec(sentence.text) : null);
    if (head) {
      const start = sentence.span.start + sentence.text.indexOf(head[1]);
      terms.push({ term: head[1].trim(), key: termKey(head[1]), span: { start, end: start + head[1].length } });
      continue;
    }
    if (!DEFINING_WORDS.test(sentence.plain)) continue;
    for (const match of sentence.text.matchAll(EMPHASIS)) {
      const words = match[2].trim();
      if (words.split(/\s+/).length > 5) continue;
      const start = sentence.span.start + match.index! + match[1].length;
      terms.push({ term: words, key: termKey(words), span: { start, end: start + match[2].length } });
    }
  }
  cache.set(doc, terms);
  return terms;
}

/** Where a new definition goes: the end of the Definitions section, or a new section at the end. */
export function defineTermFix(doc: SpecDocument, term: string): Fix {
  const section = doc.sections.find((s) => DEFINITIONS_TITLE.test(s.title.trim()));
  const stub = `**${term}**: <definition>`;
  if (section) {
    let at = section.span.end;
    while (at > section.headingSpan.end && /\s/.test(doc.text[at - 1])) at--;
    const newText = `\n\n${stub}`;
    return { title: `Define "${term}" in ${section.title}`, edits: [{ span: { start: at, end: at }, newText }], cursorOffset: newText.indexOf('<definition>') };
  }
  const end = doc.text.length;
  const lead = doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
  const newText = `${lead}## Definitions\n\n${stub}\n`;
  return { title: `Define "${term}" in a new Definitions section`, edits: [{ span: { start: end, end }, newText }], cursorOffset: newText.indexOf('<definition>') };
}
