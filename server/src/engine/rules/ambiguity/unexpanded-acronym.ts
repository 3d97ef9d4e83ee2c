import type { Fix, Rule } from '../types';
import { perSentence, proseSentences } from './prose';

/** Acronyms every reader of a technical spec knows; expanding them would be noise. */
const WELL_KNOWN = new Set(['AI', 'API', 'URL', 'URI', 'HTTP', 'HTTPS', 'JSON', 'XML', 'YAML', 'HTML', 'CSS', 'PDF', 'CSV', 'SQL', 'ID', 'OK', 'US', 'USA', 'UK', 'EU', 'UN', 'TV', 'PC', 'CPU', 'GPU', 'RAM', 'FAQ', 'CEO', 'DNA', 'IT', 'ASCII', 'UTF', 'UI', 'IP', 'PIN', 'SMS', 'GPS', 'USB', 'CLI', 'SDK', 'OS', 'AM', 'PM', 'BC', 'AD', 'DC', 'NY', 'LA', 'SF', 'IQ', 'MD', 'PR', 'QA', 'README', 'ISO', 'IEEE', 'RFC', 'LLM', 'GPT', 'ETA', 'FYI', 'ASAP']);
/** Capitalised words that are keywords, labels or emphasis, not acronyms. */
const NOT_ACRONYMS = new Set(['MUST', 'SHOULD', 'SHALL', 'MAY', 'NOT', 'REQUIRED', 'RECOMMENDED', 'OPTIONAL', 'GOOD', 'BAD', 'YES', 'NO', 'TBD', 'TBC', 'TODO', 'FIXME', 'XXX', 'AND', 'OR', 'ONLY', 'NEVER', 'ALWAYS', 'ALL', 'NONE', 'STOP', 'WARNING', 'NOTE', 'IMPORTANT', 'I', 'A', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const ACRONYM = /(?<![\p{L}\p{N}_-])([A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*)(s?)(?![\p{L}\p{N}_-])/gu;

function initials(words: string): string {
  return words
    .replace(/[,;]/g, ' ')
    .split(/[\s-]+/)
    .filter((w) => w && !/^(?:of|and|or|and\/or|for|the|in|on|to|a|an|&)$/i.test(w))
    .map((w) => w[0].toUpperCase())
    .join('');
}

interface Use {
  acronym: string;
  start: number;
  end: number;
  /** "Long Form (ACR)" or "ACR (Long Form)" in this sentence. */
  expansion?: string;
}

const detect = perSentence((prose): Use[] => {
  const uses: Use[] = [];
  const text = prose.masked;
  for (const match of text.matchAll(ACRONYM)) {
    const acronym = match[1];
    if (acronym.length > 6 || /\d/.test(acronym) || NOT_ACRONYMS.has(acronym) || WELL_KNOWN.has(acronym)) continue;
    const start = match.index!;
    const end = start + acronym.length + match[2].length;
    const use: Use = { acronym, start, end };
    const before = /([\p{L}][\p{L}\s&,/-]{2,100}?)\s*\(\s*$/u.exec(text.slice(Math.max(0, start - 90), start));
    if (before && /^\s*\)/.test(text.slice(end))) {
      const words = before[1].trim().split(/\s+/);
      for (let n = 1; n <= Math.min(words.length, 8); n++) {
        const candidate = words.slice(-n).join(' ');
        if (initials(candidate) === acronym) use.expansion = candidate;
      }
    }
    const after = /^\s*\(([^)]{3,80})\)/.exec(text.slice(end));
    // "HTTP (Hypertext Transfer Protocol)": the spelled-out name need not match the letters exactly
    if (!use.expansion && after && (initials(after[1]) === acronym || /^\p{L}[\p{L}'-]*(?:\s+[\p{L}'-]+)+$/u.test(after[1].trim()))) use.expansion = after[1].trim();
    uses.push(use);
  }
  return uses;
});

const lowercaseWordsOf = perSentence((_prose, text) => text.match(/\b[a-z]{2,6}\b/g) ?? []);

export const unexpandedAcronym: Rule = {
  id: 'unexpanded-acronym',
  description: 'An acronym used without its expansion anywhere before (or at) its first use.',
  category: 'ambiguity',
  defaultSeverity: 'information',
  check(ctx) {
    const firstUse = new Map<string, { offset: number; end: number }>();
    const expandedAt = new Map<string, { offset: number; expansion: string }>();
    for (const { sentence, prose } of proseSentences(ctx, { commentary: true })) {
      for (const use of detect(sentence, prose)) {
        const offset = sentence.span.start + use.start;
        if (use.expansion && !expandedAt.has(use.acronym)) expandedAt.set(use.acronym, { offset, expansion: use.expansion });
        // commentary may spell an acronym out, but is not itself checked
        if (!sentence.commentary && !firstUse.has(use.acronym)) firstUse.set(use.acronym, { offset, end: sentence.span.start + use.end });
      }
    }
    // a capitalised English word ("in ANY message") is emphasis: the document also writes it in lowercase
    const lowercaseWords = new Set<string>();
    if (firstUse.size) for (const { sentence, prose } of proseSentences(ctx, { commentary: true })) for (const word of lowercaseWordsOf(sentence, prose)) lowercaseWords.add(word);
    // an acronym spelled out in a Definitions/Glossary entry counts as expanded
    const glossary = ctx.doc.text;
    for (const [acronym, use] of firstUse) {
      const expanded = expandedAt.get(acronym);
      if (expanded && expanded.offset <= use.offset) continue;
      if (lowercaseWords.has(acronym.toLowerCase())) continue;
      if (new RegExp(`\\*\\*${acronym}\\*\\*\\s*[:(—-]`).test(glossary)) continue;
      const span = { start: use.offset, end: use.offset + acronym.length };
      const fixes: Fix[] = [];
      if (expanded) fixes.push({ title: `Expand to "${expanded.expansion} (${acronym})"`, edits: [{ span, newText: `${expanded.expansion} (${acronym})` }], preferred: true, safe: true });
      else fixes.push({ title: `Add the spelled-out name: "${acronym} (spelled-out name)"`, edits: [{ span, newText: `${acronym} (spelled-out name)` }], preferred: true });
      ctx.report({
        span,
        message: expanded ? `"${acronym}" is used before it is spelled out (later: "${expanded.expansion}"): expand it at its first use.` : `"${acronym}" is never spelled out: expand it at its first use, e.g. "Full Name (${acronym})".`,
        fixes,
      });
    }
  },
};
