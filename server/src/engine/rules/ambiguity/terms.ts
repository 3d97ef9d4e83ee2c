import type { SpecDocument } from '../../model';
import type { Span } from '../../text';
import type { Fix } from '../types';
import { fillIn } from './blanks';

export interface DefinedTerm {
  /** As written at its definition. */
  term: string;
  key: string;
  span: Span;
}

const DEFINITIONS_TITLE = /^(?:definitions?|glossary|terminology|terms(?: and definitions)?|key terms)$/i;
const DEFINING_WORDS =
  /\b(?:called|known as|refer(?:s|red)? to (?:\w+ )?as|we call|means|mean|is defined as|are defined as|denotes|stands for|we use the term)\b/i;
const EMPHASIS = /(\*\*|__|\*|_)([^*_\n`]{2,60}?)\1/g;

export function termKey(term: string): string {
  return term
    .toLowerCase()
    .replace(/[\s-]+/g, ' ')
    .replace(/(?<=\w{3})(?:es|s)$/, '')
    .trim();
}

const cache = new WeakMap<SpecDocument, DefinedTerm[]>();
/** Terms a sentence defines, relative to the sentence: cached by text, since most sentences survive an edit. */
const sentenceTerms = [
  new Map<string, { term: string; start: number }[]>(),
  new Map<string, { term: string; start: number }[]>(),
];

function termsOfSentence(text: string, plain: string, inDefinitions: boolean): { term: string; start: number }[] {
  const cache = sentenceTerms[inDefinitions ? 1 : 0];
  let found = cache.get(text);
  if (found) return found;
  found = [];
  const head =
    /^\s*(?:\*\*|__|\*|_)([^*_\n]{1,60}?)(?:\*\*|__|\*|_)\s*(?::|—|–| - |\()/.exec(text) ??
    (inDefinitions ? /^\s*([\p{L}][\p{L}\p{N} -]{0,50}?)\s*(?::|—|–)/u.exec(text) : null);
  if (head) found.push({ term: head[1].trim(), start: text.indexOf(head[1]) });
  else if (DEFINING_WORDS.test(plain)) {
    for (const match of text.matchAll(EMPHASIS)) {
      const words = match[2].trim();
      if (words.split(/\s+/).length > 5) continue;
      found.push({ term: words, start: match.index! + match[1].length });
    }
  }
  if (cache.size > 20000) cache.clear();
  cache.set(text, found);
  return found;
}

const titleCache = new WeakMap<SpecDocument, string[]>();
/** Normalised section titles of a document, cached per parsed document. */
export function titleKeys(doc: SpecDocument): string[] {
  let keys = titleCache.get(doc);
  if (!keys) {
    keys = doc.sections.map((s) => termKey(s.title));
    titleCache.set(doc, keys);
  }
  return keys;
}

/**
 * Terms the document defines: `**Term**:` entries, entries of a Definitions/Glossary section, and
 * emphasised phrases introduced by a defining verb ("called the **assistant**").
 */
export function definedTerms(doc: SpecDocument): DefinedTerm[] {
  const cached = cache.get(doc);
  if (cached) return cached;
  const terms: DefinedTerm[] = [];
  const definitionSections = doc.sections.filter((s) => DEFINITIONS_TITLE.test(s.title.trim()));
  const inDefinitions = (offset: number) =>
    definitionSections.length > 0 && definitionSections.some((s) => offset >= s.span.start && offset < s.span.end);
  for (const sentence of doc.sentences) {
    for (const found of termsOfSentence(sentence.text, sentence.plain, inDefinitions(sentence.span.start))) {
      const start = sentence.span.start + found.start;
      terms.push({ term: found.term, key: termKey(found.term), span: { start, end: start + found.term.length } });
    }
  }
  cache.set(doc, terms);
  return terms;
}

/** Where a new definition goes: the end of the Definitions section, or a new section at the end. */
export function defineTermFix(doc: SpecDocument, term: string): Fix {
  const section = doc.sections.find((s) => DEFINITIONS_TITLE.test(s.title.trim()));
  const stub = `**${term}**: ${fillIn('definition')}`;
  if (section) {
    let at = section.span.end;
    while (at > section.headingSpan.end && /\s/.test(doc.text[at - 1])) at--;
    const newText = `\n\n${stub}`;
    return {
      title: `Define "${term}" in ${section.title}`,
      edits: [{ span: { start: at, end: at }, newText }],
      needsInput: true,
      cursorOffset: newText.indexOf(fillIn('definition')),
    };
  }
  const end = doc.text.length;
  const lead = doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
  const newText = `${lead}## Definitions\n\n${stub}\n`;
  return {
    title: `Define "${term}" in a new Definitions section`,
    edits: [{ span: { start: end, end }, newText }],
    needsInput: true,
    cursorOffset: newText.indexOf(fillIn('definition')),
  };
}
