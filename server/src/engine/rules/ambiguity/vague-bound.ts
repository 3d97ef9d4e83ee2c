import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { proseSentences, reportLocal, sentenceDetector, type LocalFinding, type Prose } from './prose';

/**
 * An open bound in an instruction or requirement: "keep functions short", "display the warning
 * clearly", "be careful with deletions", "sync the cart right away". Each word comes with the
 * question the author has to answer for a tester (or an agent) to know when the rule is met.
 */
const QUESTIONS: [RegExp, string][] = [
  [
    /^(?:short|shorter|small|smaller|large|larger|big|bigger|huge|long|lengthy|lightweight)$/i,
    'how big, exactly? Give the limit (lines, characters, items, bytes) the rule allows',
  ],
  [
    /^(?:fast|faster|quick|quickly|slow|slowly|performant|snappy|instantly)$/i,
    'how fast, exactly? Give a time limit and where it is measured (e.g. under 200 ms at p95)',
  ],
  [/^(?:right away|as quickly as possible|without delay)$/i, 'within how long? Give the time limit'],
  [
    /^(?:clearly|prominently|visibly|noticeably|conspicuously|obviously)$/i,
    'what makes it clear? Say where it is shown, how, and what it must say',
  ],
  [
    /^(?:careful|carefully|cautious|cautiously|with care)$/i,
    'careful how? Name the check to make, or the confirmation to ask for, before acting',
  ],
];
/** Words that qualify the response itself in a requirement ("handle errors appropriately"): read in requirement documents and agent files. */
const REQUIREMENT_QUALITY: [RegExp, string][] = [
  [
    /^(?:appropriate|appropriately|proper|properly|gracefully|adequate|adequately|sufficient|sufficiently|user-friendly|efficient|efficiently|robust|robustly|easy|easily|intuitive|intuitively|seamless|seamlessly|consistently)$/i,
    'by what standard? State the observable result a tester can check',
  ],
];
/**
 * A list item in an agent file that is only a quality ("- Appropriate error handling" under
 * Security): no verb says what to do, so the word is the whole rule. Inside a sentence "the
 * appropriate toolset" means the matching one, which the agent can find.
 */
const AGENT_ITEM_QUALITY = /^(?:appropriate|adequate|sufficient|proper)$/i;
/**
 * A threshold that decides when an agent's rule applies ("Confirm at critical decision points",
 * "All significant changes must be tested", "when important decisions are needed"): the agent
 * cannot tell which changes or decisions count. Read only after a word that makes it the rule's
 * trigger or scope, so "even when doing so requires a substantial refactor" is not one. Amounts
 * ("before writing significant amounts of code, look for utilities") set no gate: the advice is
 * cheap to follow either way.
 */
const THRESHOLD =
  /\b(?:when|whenever|before|after|at|for|on|if|during|all|any|every|making|writing|doing)\s+(?:(?:any|all|the|a|an|every)\s+)?((?:critical|important|significant|major|substantial|non-trivial|big|large|risky)\s+(?:decision points?|decisions?|changes?|refactors?|refactorings?|operations?|edits?))\b/giu;
const THRESHOLD_QUESTION =
  'which ones count? Name them, or give the threshold (files touched, public API, data deleted), so the agent knows when the rule applies';
/** A limit the requirement asks for without its value: "SHALL provide query result limits", "MUST have a timeout". */
const LIMIT = /\b(?:limits?|timeouts?|thresholds?|quotas?|caps?)\b/gi;
/** In agent files "the appropriate toolset" means the matching one, which the agent can find: only "proper" and "gracefully" leave the agent without a rule. */
const AGENT_QUALITY = /^(?:proper|properly|gracefully)$/i;
/** How soon or how often, in an instruction to an agent ("Regularly report progress"): product requirements get these from vague-quantity. */
const AGENT_TIMING: [RegExp, string][] = [
  [
    /^(?:promptly|regularly|periodically|frequently|occasionally|soon|timely)$/i,
    'how soon, or how often? Give the time limit or the interval',
  ],
];

/** How a document is read: product requirements and agent instructions state checkable behaviour; other prose is judged more lightly. */
type Mode = 'requirement' | 'agent' | 'general';
const PHRASES = /\b(?:right away|as quickly as possible|without delay|with care)\b/gi;
/** The word names a kind, not a degree: "short description", "long-running task", "large language model". */
const NAMES_A_KIND =
  /^\s*(?:-|description|name|names|form|flag|option|circuit|hash|id|ids|language|model|models|term|file|files|lived|running|polling|press|link|links|url|urls|version|sha|summary|title|answer|answers|list|mode|option)\b/i;

function questionFor(word: string, mode: Mode): string | undefined {
  for (const [pattern, question] of QUESTIONS) if (pattern.test(word)) return question;
  if (mode === 'requirement' || (mode === 'agent' && AGENT_QUALITY.test(word)))
    for (const [pattern, question] of REQUIREMENT_QUALITY) if (pattern.test(word)) return question;
  if (mode === 'agent') for (const [pattern, question] of AGENT_TIMING) if (pattern.test(word)) return question;
  return undefined;
}

const PROMINENCE = /^(?:clearly|prominently|visibly|noticeably|conspicuously|obviously)$/i;
const CAUTION = /^(?:careful|carefully|cautious|cautiously)$/i;
/** Verbs whose result a reader sees: "display the warning clearly", "document it prominently". */
const SHOWING = /^(?:display|show|warn|highlight|surface|render|visible)$/i;
/** Verbs of thought: "carefully consider" asks for attention, not for a check one could name. */
const THINKING =
  /^(?:consider|think|reason|weigh|evaluate|review|follow|read|assess|judge|decide|imply|implies|implied)$/i;
const LINKING = /^(?:be|keep|stay|remain|make|is|are|am|was|were)$/i;

function detectIn(prose: Prose, text: string, mode: Mode): LocalFinding[] {
  const found: LocalFinding[] = [];
  const masked = prose.masked;
  const tokens = prose.tokens.filter((t) => t.pos !== 'SPACE');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    // "Easy to add new features" opens a list item, where the tagger often reads a proper noun
    const opensItem = i === 0 || tokens.slice(0, i).every((t) => t.pos === 'PUNCT' || t.pos === 'SYM');
    if (token.pos !== 'ADJ' && token.pos !== 'ADV' && !(opensItem && token.pos === 'PROPN')) continue;
    // "user-friendly" is three tokens
    const word =
      token.text.toLowerCase() === 'friendly' &&
      tokens[i - 1]?.text === '-' &&
      tokens[i - 2]?.text.toLowerCase() === 'user'
        ? 'user-friendly'
        : token.text;
    // "- Clear logging during seed execution": a requirement list item with no modal asks for clarity it never defines
    const itemWord = mode === 'requirement' ? /^clear$/i : mode === 'agent' ? AGENT_ITEM_QUALITY : undefined;
    const clearItem =
      !!itemWord &&
      !prose.normative &&
      opensItem &&
      itemWord.test(token.text) &&
      tokens[i + 1]?.pos === 'NOUN' &&
      !/^(?:each|the|all|any)$/i.test(tokens[i + 1]?.text ?? '');
    const question = clearItem
      ? /^clear$/i.test(token.text)
        ? 'clear how? Say what it must show or say'
        : 'by what standard? Say what the agent must do'
      : questionFor(word, mode);
    if (!question) continue;
    const after = masked.slice(token.end);
    const before = masked.slice(0, token.start);
    if (NAMES_A_KIND.test(after)) continue;
    // bounded right there: "short (under 50 lines)", "fast: < 1 ms", "shorter than 72 characters", "as short as the summary"
    if (/^\s*(?:\(|:|—|–|-\s|than\b|enough to\b|for\b|as\b)/i.test(after) || /\b(?:as|too|so)\s+$/i.test(before))
      continue;
    // a purpose ("for efficient querying") is the untestable-purpose rule's
    if (/\bfor\s+$/i.test(before)) continue;
    // "can be slow", "may be long": a warning or a permission, not a bound the rule sets; "how to properly use": a topic
    if (/\b(?:can|could|may|might)\s+(?:be\s+)?(?:\w+\s+)?$/i.test(before) || /\bhow to\s+$/i.test(before)) continue;
    // "consistent, fast tests": one adjective of a series before a noun
    const prev = tokens[i - 1];
    if (prev?.text === ',' && tokens[i - 2]?.pos === 'ADJ') continue;
    const next = tokens[i + 1];
    const near = tokens.slice(Math.max(0, i - 4), i + 4).filter((t) => t !== token);
    const quality =
      clearItem ||
      (mode === 'requirement' && REQUIREMENT_QUALITY.some(([pattern]) => pattern.test(word))) ||
      (mode === 'agent' && AGENT_QUALITY.test(word));
    // a list item without a modal is read for quality words only ("- Fast build inspection" names a feature)
    const timing = mode === 'agent' && AGENT_TIMING.some(([pattern]) => pattern.test(token.text));
    if (!prose.normative && !quality && !timing) continue;
    // the standard follows its noun: "an appropriate empty state with a message and suggestions",
    // "a user-friendly message explains that location access is needed"
    if (
      quality &&
      /^[\s-]*[\p{L}-]+(?:\s+[\p{L}-]+){0,2}\s+(?:with|explains?|says|shows|lists|states|names|naming|listing|stating)\b/iu.test(
        after,
      )
    )
      continue;
    if (token.pos === 'ADJ' && !quality) {
      // "large binaries", "a quick scan": an adjective before a noun names a kind of thing; the open bound
      // is the one a rule sets on its object: "keep functions short", "be careful with", "should be fast"
      if (
        next &&
        (next.pos === 'NOUN' ||
          next.pos === 'PROPN' ||
          next.pos === 'ADJ' ||
          next.pos === 'NUM' ||
          (next.pos === 'CCONJ' && tokens[i + 2]?.pos === 'ADJ'))
      )
        continue;
      if (next?.text === ',' && tokens[i + 2]?.pos === 'ADJ') continue;
      const governed = tokens.slice(Math.max(0, i - 6), i).some((t) => LINKING.test(t.lemma) || LINKING.test(t.text));
      if (!governed) continue;
      // "be aware that answers are slow", "it's fine if it's long": the adjective describes, the rule is elsewhere
      if (/\b(?:that|which|because|since|if|fine|ok|okay)\b/i.test(before.split(/[,;:]/).pop() ?? '')) continue;
    } else {
      if (PROMINENCE.test(token.text) && !near.some((t) => SHOWING.test(t.lemma) || SHOWING.test(t.text))) continue;
      if (CAUTION.test(token.text) && near.some((t) => THINKING.test(t.lemma) || THINKING.test(t.text))) continue;
    }
    const start = word === 'user-friendly' ? tokens[i - 2].start : token.start;
    found.push({
      start,
      end: token.end,
      message: `"${text.slice(start, token.end)}" leaves the bound open: ${question}.`,
    });
  }
  for (const match of masked.matchAll(PHRASES)) {
    const question = questionFor(match[0], mode);
    if (question)
      found.push({
        start: match.index!,
        end: match.index! + match[0].length,
        message: `"${match[0]}" leaves the bound open: ${question}.`,
      });
  }
  if (mode === 'requirement' && prose.normative) found.push(...openLimits(prose, text));
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Strict profile: the judgment words the default profile leaves to an agent ("Log errors with
 * sufficient context", "Use appropriate model sizes for different tasks"). Default reads only
 * proper(ly) and gracefully there: "the appropriate toolset" usually means the matching one.
 */
const STRICT_AGENT_QUALITY =
  /\b(?:appropriate|appropriately|adequate|adequately|sufficient|sufficiently|efficient|efficiently|reasonable|reasonably|suitable|robust)\b/gi;

function strictAgentQuality(prose: Prose, text: string): LocalFinding[] {
  const masked = prose.masked;
  const found: LocalFinding[] = [];
  for (const match of masked.matchAll(STRICT_AGENT_QUALITY)) {
    const start = match.index!;
    const end = start + match[0].length;
    const before = masked.slice(0, start);
    const after = masked.slice(end);
    // "the appropriate toolset", "in appropriate category": the matching one, which the agent can find
    if (/\b(?:the|in|to|into)\s+$/i.test(before)) continue;
    // an escape ("when appropriate") is escape-clause's, a purpose ("for efficient querying") untestable-purpose's
    if (
      /\b(?:when|if|where|wherever|whenever|as|and|or|for)\s+$/i.test(before) ||
      /^\s*(?:for|to|as|enough)\b/i.test(after)
    )
      continue;
    // the standard is given right after: a list, an example, a reference, a basis
    if (
      /^[^.]*?(?::\s*$|\(e\.g\.|\bsuch as\b|\bas described\b|\baccording to\b|\bbased on\b|\bdefined in\b|\bper\b|\bsee\b|\brecommended\b|\bto ensure\b|\bso that\b)/i.test(
        after,
      )
    )
      continue;
    found.push({
      start,
      end,
      message: `"${text.slice(start, end)}" leaves the bound open: by what standard? Say what the agent must do, or how it can tell.`,
    });
  }
  return found;
}
const strictAgentDetector = sentenceDetector(strictAgentQuality);

/** "SHALL provide query result limits": a limit with no number anywhere in the requirement. */
function openLimits(prose: Prose, text: string): LocalFinding[] {
  const masked = prose.masked;
  // the value is given ("limits of 100 rows", "timeout: 5 s"), or left to a named setting or section
  if (/\d|\b(?:configur\w*|setting|see|defined in|specified in|per the)\b/i.test(masked)) return [];
  const found: LocalFinding[] = [];
  for (const match of masked.matchAll(LIMIT)) {
    const start = match.index!;
    const end = start + match[0].length;
    const before = masked.slice(0, start);
    // the verb "limit" ("limit access to admins") or "rate limits" of another system are not a bound this rule sets
    if (
      !/\b(?:a|an|the|provide|have|has|enforce|enforces|apply|applies|set|sets|with|implement|implements|result|size|request|query|time|rate|upload|page)\s+$/i.test(
        before,
      )
    )
      continue;
    found.push({
      start,
      end,
      message: `"${text.slice(start, end)}" leaves the bound open: what value? Give the number and its unit (rows, seconds, requests per minute).`,
    });
  }
  return found;
}

/** Agent files: a threshold word that decides when a rule applies ("at critical decision points"). */
function openThresholds(prose: Prose, text: string): LocalFinding[] {
  const found: LocalFinding[] = [];
  for (const match of prose.masked.matchAll(THRESHOLD)) {
    const start = match.index! + match[0].length - match[1].length;
    const end = match.index! + match[0].length;
    found.push({ start, end, message: `"${text.slice(start, end)}" leaves the bound open: ${THRESHOLD_QUESTION}.` });
  }
  return found;
}
/**
 * "These insights should be fewer, more refined, more insightful": a rule whose whole predicate is a
 * comparison with nothing to compare against. Fewer than how many, more refined than what? A "than"
 * or a number in the clause gives the baseline and is accepted.
 */
const COMPARATIVE = String.raw`(?:(?:much|even|far|slightly)\s+)?(?:fewer|less|more)\b(?:\s+(?!than\b)[\p{L}-]+)?`;
const BARE_COMPARATIVE = new RegExp(
  String.raw`\b(?:should|must|shall|needs? to|has to|have to)\s+(?:always\s+|also\s+)?(?:be|become|remain|stay|get)\s+(${COMPARATIVE}(?:,?\s+(?:and\s+|or\s+)?${COMPARATIVE})*)`,
  'giu',
);

function bareComparatives(prose: Prose, text: string): LocalFinding[] {
  const found: LocalFinding[] = [];
  for (const match of prose.masked.matchAll(BARE_COMPARATIVE)) {
    const start = match.index! + match[0].length - match[1].length;
    const end = match.index! + match[0].length;
    const clause = prose.masked.slice(end).split(/[.;:]/)[0];
    if (/\bthan\b|\d/.test(clause)) continue;
    const phrase = text.slice(start, end);
    found.push({
      start,
      end,
      message: `"${phrase}" leaves the bound open: compared with what? Give the number or the baseline it is measured against.`,
    });
  }
  return found;
}
const comparativeDetector = sentenceDetector(bareComparatives);

const thresholdDetector = sentenceDetector(openThresholds);

const detectors: Record<Mode, ReturnType<typeof sentenceDetector>> = {
  requirement: sentenceDetector((prose, text) => detectIn(prose, text, 'requirement')),
  agent: sentenceDetector((prose, text) => detectIn(prose, text, 'agent')),
  general: sentenceDetector((prose, text) => detectIn(prose, text, 'general')),
};

export const vagueBound: Rule = {
  id: 'vague-bound',
  description:
    'An open bound in a rule (short, fast, right away, clearly, carefully; in requirements also appropriately, gracefully) with the question to answer.',
  category: 'ambiguity',
  defaultSeverity: 'information',
  check(ctx) {
    const conventions = conventionsOf(ctx.doc);
    // Judgment words ("appropriately") are the point of a behaviour policy; in a product requirement or an
    // instruction to a coding agent they hide the test.
    const mode: Mode =
      conventions.kind === 'product-spec' || conventions.ears
        ? 'requirement'
        : conventions.kind === 'agent-instructions'
          ? 'agent'
          : 'general';
    const detect = detectors[mode];
    // there, a list item is a requirement even without a modal ("- Clear logging during seed execution")
    for (const { sentence, prose } of proseSentences(ctx)) {
      // a threshold is the trigger of a rule wherever it stands: "When making any significant changes:" opens a procedure
      if (mode === 'agent') reportLocal(ctx, sentence, thresholdDetector(sentence, prose));
      if (!prose.normative && !(mode !== 'general' && sentence.listItem)) continue;
      // a copy: the detector's result is cached per sentence text and shared by both profiles
      const found = [...detect(sentence, prose)];
      if (prose.normative) {
        const taken = new Set(found.map((f) => f.start));
        found.push(...comparativeDetector(sentence, prose).filter((f) => !taken.has(f.start)));
      }
      if (mode === 'agent' && prose.normative && ctx.config.profile === 'strict') {
        const taken = new Set(found.map((f) => f.start));
        found.push(...strictAgentDetector(sentence, prose).filter((f) => !taken.has(f.start)));
      }
      reportLocal(ctx, sentence, found);
    }
  },
};
