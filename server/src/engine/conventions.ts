import type { Sentence, SpecDocument } from './model';

/**
 * What kind of document a spec is, read from its name and its text. The ambiguity rules use it to
 * read each document by its own conventions: a lowercase "should" means something else in an RFC
 * than in an agent file, WHEN is a keyword in EARS and an acronym nowhere.
 */
export type DocumentKind = 'agent-instructions' | 'policy' | 'product-spec' | 'standard' | 'model-spec' | 'generic';

export interface DocumentConventions {
  kind: DocumentKind;
  /** Capital BCP 14 keywords (MUST, SHOULD, MAY...) are in use: a lowercase one beside them is a question. */
  rfc2119: boolean;
  /** EARS requirements ("WHEN ... THE system SHALL ..."): its keywords are not acronyms. */
  ears: boolean;
  /** A spec-kit feature spec or constitution: `[NEEDS CLARIFICATION: ...]`, FR ids, Given/When/Then. */
  specKit: boolean;
  /** Names the document defines as terms: Key Entities, glossary entries, requirement ids. */
  terms: Set<string>;
  /** Sentences that are not the author's clauses: block quotes, table rows, quoted example dialogue. */
  notClause: Set<Sentence>;
}

const AGENT_FILE =
  /(?:^|\/)(?:AGENTS|CLAUDE|GEMINI|AGENT)\.md$|system[-_]prompt|\.agent\.md$|(?:^|\/)\.(?:cursorrules|windsurfrules|clinerules)(?:$|\/)|(?:^|\/)\.cursor\/rules\/|copilot-instructions\.md$|\.instructions\.md$|(?:^|\/)\.openhands\/microagents\/|(?:^|\/)\.github\/instructions\//i;
const POLICY_FILE = /(?:polic(?:y|ies)|guidelines?|terms|acceptable[-_]use|code[-_]of[-_]conduct)/i;
const MODEL_SPEC_FILE = /(?:^|\/)model_spec\.md$/;
const PRODUCT_FILE =
  /(?:^|\/)(?:\.kiro\/specs|specs\/\d{3}-|\.specify\/|kitty-specs\/|prd\/)|(?:^|\/)(?:requirements|design|plan|prd|sdd|PRD|SDD)\.md$/;

/** Every BCP 14 keyword, the negated ones first so that "MUST NOT" is read as one. */
export const BCP14_KEYWORD =
  /(?<![\p{L}\p{N}])(?:MUST NOT|SHALL NOT|SHOULD NOT|MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL)(?![\p{L}\p{N}])/gu;
/** Present in every text with a BCP 14 keyword: a cheap test before the per-sentence count. */
const ANY_CAPITAL_KEYWORD = /MUST|SHALL|SHOULD|MAY|REQUIRED|RECOMMENDED|OPTIONAL/;
const DECLARES_BCP14 = /\b(?:RFC\s?2119|RFC\s?8174|BCP\s?14)\b/;
/** Where a list item's text starts on a line: after indentation and a bullet or number. */
const LINE_LEAD = /^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?/;
const EARS_TRIGGER = /^(?:WHEN|WHILE|IF|WHERE)\b/;
const THE_WORD = /\b(?:THE|the)\s+/;
const SHALL_WORD = /\bSHALL\b/g;

/**
 * Whether a line holds an EARS requirement: "WHEN|WHILE|IF|WHERE ... the <system> SHALL ..." or
 * "THE <system> SHALL ...", at the line's start (after a bullet). Read as "a THE/the, then a SHALL
 * after it" rather than one regex with two lazy gaps, which cost the square of a long line.
 */
function isEarsLine(line: string): boolean {
  const rest = line.slice(LINE_LEAD.exec(line)![0].length);
  let subjectEnd: number;
  if (EARS_TRIGGER.test(rest)) {
    const the = THE_WORD.exec(rest);
    if (!the) return false;
    subjectEnd = the.index + the[0].length;
  } else {
    const the = /^THE\s+/.exec(rest);
    if (!the) return false;
    subjectEnd = the[0].length;
  }
  let lastShall = -1;
  for (const shall of rest.matchAll(SHALL_WORD)) lastShall = shall.index;
  return lastShall >= subjectEnd;
}

/** Whether any line of the text is an EARS requirement (see isEarsLine); lines without SHALL are skipped unread. */
export function hasEarsClause(text: string): boolean {
  let at = text.indexOf('SHALL');
  while (at >= 0) {
    // the line around it, found by stepping (a lastIndexOf of the other line ending could run to the file's start)
    let lineStart = at;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    let lineEnd = at;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    if (isEarsLine(text.slice(lineStart, lineEnd))) return true;
    at = text.indexOf('SHALL', lineEnd);
  }
  return false;
}

// [ \t], never \s, at a line's start: \s crosses line breaks, and a run of blank lines then cost its square
const SPEC_KIT =
  /\[NEEDS CLARIFICATION\b|^[ \t]*[-*][ \t]+\*\*FR-\d+\*\*|^#{2,3}[ \t]+(?:User Scenarios|Key Entities|Functional Requirements|Success Criteria)\b/m;

const cache = new WeakMap<SpecDocument, DocumentConventions>();

/** The conventions of one parsed document, computed once per parse. */
export function conventionsOf(doc: SpecDocument): DocumentConventions {
  let found = cache.get(doc);
  if (!found) {
    found = readConventions(doc);
    cache.set(doc, found);
  }
  return found;
}

export function documentKind(uri: string, text: string): DocumentKind {
  const path = decodeURIComponent(uri);
  if (MODEL_SPEC_FILE.test(path)) return 'model-spec';
  if (AGENT_FILE.test(path)) return 'agent-instructions';
  if (PRODUCT_FILE.test(path) || SPEC_KIT.test(text) || hasEarsClause(text)) return 'product-spec';
  if (POLICY_FILE.test(path)) return 'policy';
  // a standard declares BCP 14 keywords; a feature "spec.md" without spec-kit or EARS structure is read as one too
  if (DECLARES_BCP14.test(text) || countCapitalKeywords(text) >= 5 || /(?:^|\/)spec(?:ification)?\.md$/i.test(path))
    return 'standard';
  return 'generic';
}

function countCapitalKeywords(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(BCP14_KEYWORD)) if (++n >= 50) break;
  return n;
}

function readConventions(doc: SpecDocument): DocumentConventions {
  const text = doc.text;
  const kind = documentKind(doc.uri, text);
  // capitals used as keywords in the document's own sentences (not only in the boilerplate that declares them)
  // (three are enough to decide; a file without any capital keyword is not walked sentence by sentence)
  let capitals = 0;
  if (ANY_CAPITAL_KEYWORD.test(text))
    for (const sentence of doc.sentences) {
      if (capitals >= 3) break;
      if (/"MUST"|“MUST”/.test(sentence.text)) continue;
      for (const _ of sentence.text.matchAll(BCP14_KEYWORD)) capitals++;
    }
  // agent files and prompts write MUST and NEVER in capitals for emphasis, not as BCP 14 keywords
  const declared = DECLARES_BCP14.test(text);
  const rfc2119 = (declared && capitals >= 1) || (capitals >= 3 && kind !== 'agent-instructions' && kind !== 'policy');
  const ears = hasEarsClause(text);
  const specKit = SPEC_KIT.test(text);
  const terms = new Set<string>();
  // Key Entities / Glossary entries: "- **Name**: ..." under such a heading
  for (const section of doc.sections) {
    if (!/\b(?:key entities|entities|glossary|definitions|terminology|data model)\b/i.test(section.title)) continue;
    for (const match of text
      .slice(section.span.start, section.span.end)
      .matchAll(/^\s*[-*]\s+\*\*([^*\n]{2,60})\*\*/gm))
      terms.add(match[1].trim());
  }
  for (const match of text.matchAll(/\b(?:FR|NFR|SC|REQ|US)-\d+\b/g)) terms.add(match[0]);
  const notClause = new Set<Sentence>();
  for (const sentence of doc.sentences) {
    if (sentence.tableCell) {
      notClause.add(sentence);
      continue;
    }
    // the line's first character, found through the line index: searching back for the line break
    // made a 10 MB paragraph on one line quadratic
    let first = doc.lines.lineStartOf(sentence.span.start);
    while (first < sentence.span.start && /\s/.test(text[first])) first++;
    const lineMark = first < sentence.span.start ? text[first] : '';
    // a block quote quotes someone (an earlier version, a user, a law); a table row is cells, not sentences
    if (lineMark === '>' || lineMark === '|' || /\n\s*\|/.test(sentence.text) || /^\|/.test(sentence.text))
      notClause.add(sentence);
  }
  return { kind, rfc2119, ears, specKit, terms, notClause };
}
