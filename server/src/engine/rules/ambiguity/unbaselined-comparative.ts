import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

/** Comparative-looking words that are not comparisons in practice. */
const NOT_COMPARISONS = new Set([
  'other',
  'further',
  'furthermore',
  'later',
  'latter',
  'former',
  'earlier',
  'longer',
  'least',
  'most',
  'more',
  'less',
  'rather',
  'whether',
  'never',
  'ever',
  'over',
  'under',
  'after',
  'either',
  'neither',
  'together',
  'however',
  'whatever',
  'whenever',
  'wherever',
  'sooner',
  'interest',
  'honest',
  'modest',
  'latest',
  'manifest',
  'earnest',
  'user',
  'proper',
  'clever',
  'eager',
  'bitter',
  'sober',
  'tender',
  'upper',
  'inner',
  'outer',
  'utter',
  'former',
  'clear',
  'safer',
]);
const SUPERLATIVE_WORDS = /^(?:optimal|optimally|best|worst|maximal|minimal|ideal)$/i;

export const unbaselinedComparative = sentenceRule({
  id: 'unbaselined-comparative',
  description:
    'A comparative or superlative (faster, more concise, the best, optimal) with no baseline to compare against.',
  // on policy prose most comparatives carry an implied baseline ("a broader scope"): strict only
  // removed from both profiles: judged right on none of its corpus or Model Spec findings (issue 10).
  // Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  scope: { normativeOnly: true },
  detect(prose) {
    const found: LocalFinding[] = [];
    const tokens = prose.tokens;
    const hasBaseline = (from: number) =>
      tokens.slice(from, from + 12).some((t) => /^(?:than|as|compared|relative)$/i.test(t.text));
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const word = token.text.toLowerCase();
      if (token.pos !== 'ADJ' && token.pos !== 'ADV') continue;
      let start = token.start;
      let end = token.end;
      let kind: 'comparative' | 'superlative' | undefined;
      if (
        (word === 'more' || word === 'less') &&
        (tokens[i + 1]?.pos === 'ADJ' || tokens[i + 1]?.pos === 'ADV') &&
        !NOT_COMPARISONS.has(tokens[i + 1].text.toLowerCase())
      ) {
        kind = 'comparative';
        end = tokens[i + 1].end;
        i++;
      } else if (
        word === 'most' &&
        tokens[i - 1]?.text.toLowerCase() === 'the' &&
        (tokens[i + 1]?.pos === 'ADJ' || tokens[i + 1]?.pos === 'ADV')
      ) {
        kind = 'superlative';
        start = tokens[i - 1].start;
        end = tokens[i + 1].end;
        i++;
      } else if (SUPERLATIVE_WORDS.test(word)) {
        kind = 'superlative';
      } else if (
        !NOT_COMPARISONS.has(word) &&
        token.lemma &&
        token.lemma.toLowerCase() !== word &&
        /(?:er|est)$/.test(word) &&
        word.startsWith(token.lemma.toLowerCase().slice(0, 3))
      ) {
        kind = word.endsWith('est') ? 'superlative' : 'comparative';
      }
      if (!kind) continue;
      // "higher-level", "best-effort": a compound modifier, not a comparison
      if (prose.masked[end] === '-') continue;
      if (
        /^\s+(?:interests?|effort|judgment|judgement|intentions?|practices?|guess|possible|of)\b/i.test(
          prose.masked.slice(end),
        )
      )
        continue;
      if (kind === 'comparative' && hasBaseline(i + 1)) continue;
      const phrase = prose.masked.slice(start, end);
      found.push({
        start,
        end,
        message:
          kind === 'comparative'
            ? `"${phrase}" than what? Name the baseline (a previous version, a threshold, another option) or state the target directly.`
            : `"${phrase}" by which measure, among which options? State the criterion or the target instead.`,
      });
    }
    return found;
  },
});
