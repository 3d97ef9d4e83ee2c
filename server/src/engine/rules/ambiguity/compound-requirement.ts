import { conventionsOf } from '../../conventions';
import type { Token } from '../../nlp';
import type { Rule } from '../types';
import { RESPONSE_VERBS } from './ears-requirement';
import { proseSentences, reportLocal, sentenceDetector, type LocalFinding } from './prose';

/**
 * "System MUST display the location in a popup and show a summary when a marker is clicked": two
 * obligations in one requirement pass or fail together, so a test of one says nothing of the other
 * and a trace to it is half true (INCOSE's Guide to Writing Requirements, R18: one thought per
 * requirement). EARS requirements get the same question from ears-requirement.
 */
const MODAL = /^(?:must|shall|should)$/i;
/** Words between "and" and the second verb that keep it the same subject's action: "and then", "and also". */
const LINKING = new Set(['also', 'then', 'additionally', 'must', 'shall', 'should', 'not']);

function words(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.pos !== 'SPACE');
}

const detect = sentenceDetector((prose, text) => {
  const found: LocalFinding[] = [];
  const tokens = words(prose.tokens);
  const modalAt = tokens.findIndex((t) => MODAL.test(t.text) && (t.pos === 'AUX' || t.pos === 'VERB'));
  if (modalAt < 0) return found;
  // the first action: the verb the modal governs ("MUST display", "MUST NOT execute", "MUST be")
  let first = modalAt + 1;
  while (first < tokens.length && (tokens[first].pos === 'PART' || tokens[first].pos === 'ADV')) first++;
  const firstVerb = tokens[first];
  if (!firstVerb || (firstVerb.pos !== 'VERB' && firstVerb.pos !== 'AUX')) return found;
  let depth = 0;
  for (let i = first + 1; i < tokens.length - 1; i++) {
    const token = tokens[i];
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth = Math.max(0, depth - 1);
    // a colon starts a list of what the first action covers, not a second action
    if (token.text === ':' || depth > 0) {
      if (token.text === ':') break;
      continue;
    }
    if (token.text.toLowerCase() !== 'and' || tokens[i + 1]?.text === '/') continue;
    // the first action needs its own object before "and": "display events ... and show ..."
    const between = tokens.slice(first + 1, i);
    if (!between.some((t) => t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'ADJ')) continue;
    // "to create and edit drafts" or "read and write access": the verbs share one object, one action
    if (tokens[i - 1].pos === 'VERB') continue;
    let next = i + 1;
    while (next < tokens.length && LINKING.has(tokens[next].text.toLowerCase())) next++;
    const second = tokens[next];
    if (!second) continue;
    // a base form only: "and zoom the map", not "and related data" / "and existing records";
    // "show" and "log" are often tagged as nouns after "and": a known response verb counts
    const lower = second.text.toLowerCase();
    if (!RESPONSE_VERBS.has(lower) && (second.pos !== 'VERB' || lower !== second.lemma.toLowerCase())) continue;
    if (second.lemma.toLowerCase() === firstVerb.lemma.toLowerCase()) continue;
    // the second verb takes its own object ("and zoom the map", "and respond quickly"), so it is a
    // second obligation; "the calendar and map when ..." is a noun list
    const after = tokens[next + 1];
    if (!after || !/^(?:NOUN|PROPN|DET|PRON|ADJ|NUM|ADV)$/.test(after.pos)) continue;
    if (/^(?:when|where|while|if|unless|whenever|wherever)$/i.test(after.text)) continue;
    // "and/or" and purposes ("to X and Y") are other rules' questions
    const before = prose.masked.slice(Math.max(0, tokens[i].start - 40), tokens[i].start);
    if (/\bto\s+\w+\s+[^,;]*$/i.test(before) && !/\b(?:must|shall|should)\b/i.test(before)) continue;
    const start = tokens[first].start;
    const end = second.end;
    found.push({
      start,
      end,
      message: `Two obligations in one requirement ("${text.slice(firstVerb.start, firstVerb.end)} ..." and "${text.slice(second.start, second.end)} ..."): they pass or fail together. Split them so each can be tested and traced on its own.`,
    });
    break;
  }
  return found;
});

/**
 * Strict only. Read in product requirements (spec-kit, Kiro, PRDs): a standard or a policy puts
 * several duties of one actor in one sentence on purpose, and agent files chain imperatives.
 */
export const compoundRequirement: Rule = {
  id: 'compound-requirement',
  description:
    'One requirement carries two obligations joined by "and" (display X and show Y): they cannot be tested or traced apart.',
  category: 'ambiguity',
  defaultSeverity: 'off',
  strictSeverity: 'information',
  check(ctx) {
    const conventions = conventionsOf(ctx.doc);
    if (conventions.kind !== 'product-spec') return;
    for (const { sentence, prose } of proseSentences(ctx, { normativeOnly: true })) {
      // EARS requirements: ears-requirement asks about two responses already
      if (conventions.ears && /\bSHALL\b/.test(sentence.text)) continue;
      reportLocal(ctx, sentence, detect(sentence, prose));
    }
  },
};
