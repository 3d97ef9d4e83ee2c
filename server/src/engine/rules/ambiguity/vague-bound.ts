import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { proseSentences, reportLocal, sentenceDetector, type LocalFinding, type Prose } from './prose';

/**
 * An open bound in an instruction or requirement: "keep functions short", "display the warning
 * clearly", "be careful with deletions", "sync the cart right away". Each word comes with the
 * question the author has to answer for a tester (or an agent) to know when the rule is met.
 */
const QUESTIONS: [RegExp, string][] = [
  [/^(?:short|shorter|small|smaller|large|larger|big|bigger|huge|long|lengthy|lightweight)$/i, 'how big, exactly? Give the limit (lines, characters, items, bytes) the rule allows'],
  [/^(?:fast|faster|quick|quickly|slow|slowly|performant|snappy|instantly)$/i, 'how fast, exactly? Give a time limit and where it is measured (e.g. under 200 ms at p95)'],
  [/^(?:right away|as quickly as possible|without delay)$/i, 'within how long? Give the time limit'],
  [/^(?:clearly|prominently|visibly|noticeably|conspicuously|obviously)$/i, 'what makes it clear? Say where it is shown, how, and what it must say'],
  [/^(?:careful|carefully|cautious|cautiously|with care)$/i, 'careful how? Name the check to make, or the confirmation to ask for, before acting'],
];
/** Words that qualify the response itself in a requirement ("handle errors appropriately"): only read in requirement documents. */
const REQUIREMENT_QUALITY: [RegExp, string][] = [
  [/^(?:appropriate|appropriately|proper|properly|gracefully|adequate|adequately|sufficient|sufficiently|reasonable|reasonably|user-friendly|efficient|efficiently|robust|robustly)$/i, 'by what standard? State the observable result a tester can check'],
];
const PHRASES = /\b(?:right away|as quickly as possible|without delay|with care)\b/gi;
/** The word names a kind, not a degree: "short description", "long-running task", "large language model". */
const NAMES_A_KIND = /^\s*(?:-|description|name|names|form|flag|option|circuit|hash|id|ids|language|model|models|term|file|files|lived|running|polling|press|link|links|url|urls|version|sha|summary|title|answer|answers|list|mode|option)\b/i;

function questionFor(word: string, requirementDoc: boolean): string | undefined {
  for (const [pattern, question] of QUESTIONS) if (pattern.test(word)) return question;
  if (requirementDoc) for (const [pattern, question] of REQUIREMENT_QUALITY) if (pattern.test(word)) return question;
  return undefined;
}

const PROMINENCE = /^(?:clearly|prominently|visibly|noticeably|conspicuously|obviously)$/i;
const CAUTION = /^(?:careful|carefully|cautious|cautiously)$/i;
/** Verbs whose result a reader sees: "display the warning clearly", "document it prominently". */
const SHOWING = /^(?:display|show|warn|highlight|surface|render|visible)$/i;
/** Verbs of thought: "carefully consider" asks for attention, not for a check one could name. */
const THINKING = /^(?:consider|think|reason|weigh|evaluate|review|follow|read|assess|judge|decide|imply|implies|implied)$/i;
const LINKING = /^(?:be|keep|stay|remain|make|is|are|am|was|were)$/i;

function detectIn(prose: Prose, text: string, requirementDoc: boolean): LocalFinding[] {
  const found: LocalFinding[] = [];
  const masked = prose.masked;
  const tokens = prose.tokens.filter((t) => t.pos !== 'SPACE');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.pos !== 'ADJ' && token.pos !== 'ADV') continue;
    const question = questionFor(token.text, requirementDoc);
    if (!question) continue;
    const after = masked.slice(token.end);
    const before = masked.slice(0, token.start);
    if (NAMES_A_KIND.test(after)) continue;
    // bounded right there: "short (under 50 lines)", "fast: < 1 ms", "shorter than 72 characters", "as short as the summary"
    if (/^\s*(?:\(|:|—|–|-\s|than\b|enough to\b|for\b|as\b)/i.test(after) || /\b(?:as|too|so)\s+$/i.test(before)) continue;
    // a purpose ("for efficient querying") is the untestable-purpose rule's
    if (/\bfor\s+$/i.test(before)) continue;
    const next = tokens[i + 1];
    const near = tokens.slice(Math.max(0, i - 4), i + 4).filter((t) => t !== token);
    const quality = REQUIREMENT_QUALITY.some(([pattern]) => pattern.test(token.text));
    if (token.pos === 'ADJ' && !quality) {
      // "large binaries", "a quick scan": an adjective before a noun names a kind of thing; the open bound
      // is the one a rule sets on its object: "keep functions short", "be careful with", "should be fast"
      if (next && (next.pos === 'NOUN' || next.pos === 'PROPN' || next.pos === 'ADJ' || next.pos === 'NUM' || next.pos === 'CCONJ' && tokens[i + 2]?.pos === 'ADJ')) continue;
      if (next?.text === ',' && tokens[i + 2]?.pos === 'ADJ') continue;
      const governed = tokens.slice(Math.max(0, i - 6), i).some((t) => LINKING.test(t.lemma) || LINKING.test(t.text));
      if (!governed) continue;
      // "be aware that answers are slow", "it's fine if it's long": the adjective describes, the rule is elsewhere
      if (/\b(?:that|which|because|since|if|fine|ok|okay)\b/i.test(before.split(/[,;:]/).pop() ?? '')) continue;
    } else {
      if (PROMINENCE.test(token.text) && !near.some((t) => SHOWING.test(t.lemma) || SHOWING.test(t.text))) continue;
      if (CAUTION.test(token.text) && near.some((t) => THINKING.test(t.lemma) || THINKING.test(t.text))) continue;
    }
    found.push({ start: token.start, end: token.end, message: `"${text.slice(token.start, token.end)}" leaves the bound open: ${question}.` });
  }
  for (const match of masked.matchAll(PHRASES)) {
    const question = questionFor(match[0], requirementDoc);
    if (question) found.push({ start: match.index!, end: match.index! + match[0].length, message: `"${match[0]}" leaves the bound open: ${question}.` });
  }
  return found.sort((a, b) => a.start - b.start);
}

const detectGeneral = sentenceDetector((prose, text) => detectIn(prose, text, false));
const detectRequirement = sentenceDetector((prose, text) => detectIn(prose, text, true));

export const vagueBound: Rule = {
  id: 'vague-bound',
  description: 'An open bound in a rule (short, fast, right away, clearly, carefully; in requirements also appropriately, gracefully) with the question to answer.',
  category: 'ambiguity',
  defaultSeverity: 'information',
  check(ctx) {
    const conventions = conventionsOf(ctx.doc);
    // Judgment words ("appropriately") are the point of a behaviour policy; in a product requirement they hide the test.
    const requirementDoc = conventions.kind === 'product-spec' || conventions.ears;
    const detect = requirementDoc ? detectRequirement : detectGeneral;
    for (const { sentence, prose } of proseSentences(ctx, { normativeOnly: true })) reportLocal(ctx, sentence, detect(sentence, prose));
  },
};
