import type { Rule } from '../types';
import { definedTerms } from './terms';
import { proseSentences, type Prose } from './prose';

function compact(words: string): string {
  return words
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/(?<=\w{3})(?:es|s)$/, '');
}

interface TermPattern {
  term: string;
  compact: string;
  pattern: RegExp;
}

const patternCache = new Map<string, TermPattern[]>();
function patternsFor(signature: string, terms: string[]): TermPattern[] {
  let patterns = patternCache.get(signature);
  if (!patterns) {
    patterns = terms.map((term) => {
      const letters = [...term.replace(/[\s-]+/g, '')].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return {
        term,
        compact: compact(term),
        pattern: new RegExp(`(?<![\\p{L}\\p{N}-])${letters.join('[\\s-]?')}(?:e?s)?(?![\\p{L}\\p{N}-])`, 'giu'),
      };
    });
    if (patternCache.size > 50) patternCache.clear();
    patternCache.set(signature, patterns);
  }
  return patterns;
}

/** Every spelling of a defined term in a sentence, cached per sentence text and set of terms. */
const variantCache = new WeakMap<
  Prose,
  { patterns: TermPattern[]; hits: { index: number; at: number; text: string }[] }
>();
function variantsIn(prose: Prose, patterns: TermPattern[]) {
  const cached = variantCache.get(prose);
  if (cached && cached.patterns === patterns) return cached.hits;
  const hits: { index: number; at: number; text: string }[] = [];
  patterns.forEach((p, index) => {
    for (const match of prose.masked.matchAll(p.pattern)) hits.push({ index, at: match.index!, text: match[0] });
  });
  variantCache.set(prose, { patterns, hits });
  return hits;
}

export const terminologyDrift: Rule = {
  id: 'terminology-drift',
  description:
    'A defined term written another way elsewhere (sub-goal / subgoal / sub goal), so readers cannot tell whether it means the same thing.',
  category: 'ambiguity',
  // judged right on 0 of 23 on real specs (an entity name against the same words in prose): strict only
  // Removed from both profiles (issue 10): on the hand-judged corpus sample it was right on
  // 0 of 6 strict-profile findings (0/23 in the earlier judgement): an entity name against the same words in prose is not drift. Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  check(ctx) {
    const terms = definedTerms(ctx.doc).filter((t) => t.term.replace(/[\s-]/g, '').length >= 5);
    if (!terms.length) return;
    const signature = terms.map((t) => t.term).join('\0');
    const patterns = patternsFor(
      signature,
      terms.map((t) => t.term),
    );
    for (const { sentence, prose } of proseSentences(ctx)) {
      for (const hit of variantsIn(prose, patterns)) {
        const term = terms[hit.index];
        const key = patterns[hit.index].compact;
        {
          const match = { index: hit.at };
          const surface = hit.text;
          if (compact(surface) !== key) continue;
          const defined = term.term.toLowerCase();
          const written = surface.toLowerCase().replace(/(?<=\w{3})(?:es|s)$/, '');
          if (written === defined || written === defined.replace(/(?<=\w{3})(?:es|s)$/, '')) continue;
          // "chain-of-command rules": hyphenating a spaced term as a modifier is standard English
          if (
            written === defined.replace(/\s+/g, '-') &&
            /^\s+\p{L}/u.test(prose.masked.slice(match.index! + surface.length))
          )
            continue;
          if (/\n/.test(surface)) continue;
          const start = sentence.span.start + match.index!;
          const plural =
            /(?:e?s)$/i.test(surface) && !/(?:e?s)$/i.test(term.term)
              ? surface.slice(surface.toLowerCase().lastIndexOf(term.term.slice(-1).toLowerCase()) + 1)
              : '';
          const replacement =
            (/^\p{Lu}/u.test(surface) ? term.term[0].toUpperCase() : term.term[0].toLowerCase()) +
            term.term.slice(1) +
            plural;
          ctx.report({
            span: { start, end: start + surface.length },
            message: `"${surface}" is written differently from the defined term "${term.term}": use one spelling so readers know it is the same thing.`,
            related: [{ uri: ctx.doc.uri, span: term.span, message: `"${term.term}" is defined here.` }],
            fixes: [
              {
                title: `Write "${replacement}" as defined`,
                edits: [{ span: { start, end: start + surface.length }, newText: replacement }],
                preferred: true,
                safe: true,
              },
            ],
          });
        }
      }
    }
  },
};
