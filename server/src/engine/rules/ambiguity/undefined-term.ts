import type { Rule } from '../types';
import { defineTermFix, definedTerms, termKey, titleKeys } from './terms';
import { proseSentences, sentenceDetector } from './prose';

/** Two to four capitalised words in the middle of a sentence: a term the author treats as defined. */
const CAPITALISED_TERM =
  /(?<=[\p{Ll},;:)]\s+)(\p{Lu}\p{Ll}+(?:[\s-]+(?:of|and|for|the|to|in)?\s*\p{Lu}\p{Ll}+){1,3})(?![\p{L}])/gu;

const detect = sentenceDetector((prose) =>
  [...prose.masked.matchAll(CAPITALISED_TERM)].map((m) => ({
    start: m.index!,
    end: m.index! + m[1].length,
    message: '',
    subject: m[1].replace(/\s+/g, ' '),
  })),
);

export const undefinedTerm: Rule = {
  id: 'undefined-term',
  description:
    'A capitalised term used as if defined (Scope of Autonomy, Trusted Source) that the document never defines.',
  category: 'ambiguity',
  // capitalised names (products, documents) look the same as undefined terms: strict only
  // Removed from both profiles (issue 10): on the hand-judged corpus sample it was right on
  // 0 of 19 strict-profile findings: labels, headings in bold and proper names read as terms. Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  check(ctx) {
    const defined = new Set(definedTerms(ctx.doc).map((t) => t.key));
    const titles = new Set<string>();
    for (const doc of ctx.workspace.specDocuments().concat(ctx.doc)) for (const key of titleKeys(doc)) titles.add(key);
    for (const reference of ctx.doc.references) titles.add(termKey(reference.text));
    const uses = new Map<string, { start: number; end: number; term: string }[]>();
    for (const { sentence, prose } of proseSentences(ctx)) {
      for (const found of detect(sentence, prose)) {
        const key = termKey(found.subject!);
        if (defined.has(key) || titles.has(key)) continue;
        const list = uses.get(key) ?? [];
        list.push({
          start: sentence.span.start + found.start,
          end: sentence.span.start + found.end,
          term: found.subject!,
        });
        uses.set(key, list);
      }
    }
    for (const list of uses.values()) {
      // used once it is a name in passing; used as a term, it repeats
      if (list.length < 2) continue;
      const first = list[0];
      ctx.report({
        span: { start: first.start, end: first.end },
        message: `"${first.term}" is capitalised like a defined term (used ${list.length} times) but the document never defines it: define it, or write it in lowercase.`,
        fixes: [defineTermFix(ctx.doc, first.term)],
      });
    }
  },
};
