import { conventionsOf } from '../../conventions';
import type { Fix, Rule } from '../types';
import { perSentence, proseSentences } from './prose';
import { fillIn } from './blanks';

/** Acronyms every reader of a technical spec knows; expanding them would be noise. */
const WELL_KNOWN = new Set([
  'AI',
  'API',
  'URL',
  'URI',
  'HTTP',
  'HTTPS',
  'JSON',
  'XML',
  'YAML',
  'HTML',
  'CSS',
  'PDF',
  'CSV',
  'SQL',
  'ID',
  'OK',
  'US',
  'USA',
  'UK',
  'EU',
  'UN',
  'TV',
  'PC',
  'CPU',
  'GPU',
  'RAM',
  'FAQ',
  'CEO',
  'DNA',
  'IT',
  'ASCII',
  'UTF',
  'UI',
  'IP',
  'PIN',
  'SMS',
  'GPS',
  'USB',
  'CLI',
  'SDK',
  'OS',
  'AM',
  'PM',
  'BC',
  'AD',
  'DC',
  'NY',
  'LA',
  'SF',
  'IQ',
  'MD',
  'PR',
  'QA',
  'README',
  'ISO',
  'IEEE',
  'RFC',
  'LLM',
  'GPT',
  'ETA',
  'FYI',
  'ASAP',
]);
/** Capitalised words that are keywords, labels or emphasis, not acronyms. */
const NOT_ACRONYMS = new Set([
  'MUST',
  'SHOULD',
  'SHALL',
  'MAY',
  'NOT',
  'REQUIRED',
  'RECOMMENDED',
  'OPTIONAL',
  'GOOD',
  'BAD',
  'YES',
  'NO',
  'TBD',
  'TBC',
  'TODO',
  'FIXME',
  'XXX',
  'AND',
  'OR',
  'ONLY',
  'NEVER',
  'ALWAYS',
  'ALL',
  'NONE',
  'STOP',
  'WARNING',
  'NOTE',
  'IMPORTANT',
  'I',
  'A',
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
]);
/** Acronyms a technical reader of agent files, product specs and standards knows: used before their expansion, they are still no question. */
const TECH_KNOWN = new Set([
  'CI',
  'CD',
  'PII',
  'REST',
  'TLS',
  'SSL',
  'UUID',
  'CDN',
  'DB',
  'JS',
  'TS',
  'KB',
  'MB',
  'GB',
  'TB',
  'IDE',
  'LSP',
  'AST',
  'RPC',
  'UX',
  'DOM',
  'JWT',
  'SSH',
  'DNS',
  'TCP',
  'UDP',
  'SSO',
  'NPM',
  'VS',
  'PID',
  'CPU',
  'ORM',
  'CRUD',
  'SPA',
  'SSR',
  'CSR',
  'HMR',
  'ESM',
  'CJS',
  'TTL',
  'UTC',
  'GMT',
  'SLA',
  'SLO',
  'CVE',
  'XSS',
  'CSRF',
  'CORS',
  'SSE',
  'MIME',
  'IANA',
  'IETF',
  'W3C',
  'WCAG',
  'ARIA',
  'GDPR',
  'OSS',
  'PR',
  'PRS',
  'MCP',
  'LLM',
  'LLMS',
  'CLA',
  'MIT',
  'BSD',
  'GPL',
  'TL',
  'DR',
  'FAQ',
  'OS',
  'E2E',
  'IO',
  'IPC',
  'VM',
  'VMS',
  'K8S',
  'AWS',
  'GCP',
  'CRD',
  'KEP',
  'SIG',
  'RFC',
  'BCP',
  'UNIX',
  'POSIX',
  'ABI',
  'FFI',
  'WASM',
  'ISO',
  'UTF',
  'CLI',
  'GUI',
  'RTL',
  'LTR',
  'SEO',
  'SDK',
  'CMS',
  'SMTP',
  'IMAP',
  'OTP',
  'MFA',
  'RBAC',
  'ACL',
  'IAM',
  'SAML',
  'OIDC',
  'CSV',
  'TSV',
  'PNG',
  'JPEG',
  'JPG',
  'GIF',
  'SVG',
  'EXIF',
  'AVIF',
  'WEBP',
  'YYYY',
  'MM',
  'DD',
  'HH',
  'SS',
]);
/** Words the conventions of a document use as keywords, not acronyms. */
const EARS_KEYWORDS = new Set(['WHEN', 'WHILE', 'IF', 'THEN', 'WHERE', 'THE', 'SHALL', 'AND', 'OR', 'NOT']);
/** English words written in capitals for emphasis ("STOP and FIX", "FIRST use") and labels. */
const SHOUTED = new Set([
  'FIRST',
  'BREAK',
  'CORE',
  'FIX',
  'ONE',
  'TWO',
  'THREE',
  'NEW',
  'OLD',
  'DEPRECATED',
  'CRITICAL',
  'DO',
  'DONT',
  'ANY',
  'EVERY',
  'EACH',
  'BEFORE',
  'AFTER',
  'NOW',
  'USE',
  'SAME',
  'EXACTLY',
  'AT',
  'LEAST',
  'MOST',
  'BOTH',
  'IS',
  'ARE',
  'IN',
  'ON',
  'OUT',
  'TO',
  'BE',
  'WILL',
  'CAN',
  'CANNOT',
  'NOTHING',
  'EVERYTHING',
  'NO',
  'DONE',
  'PASS',
  'FAIL',
  'TRUE',
  'FALSE',
  'NULL',
  'READY',
  'ERROR',
  'INFO',
  'DEBUG',
  'WARN',
  'CREATE',
  'UPDATE',
  'READ',
  'LOGIN',
  'LOGOUT',
  'JOIN',
  'SELECT',
  'INSERT',
  'WHERE',
  'GATE',
  'THIS',
  'THAT',
  'OWN',
  'EVER',
  'NEEDS',
  'CLARIFICATION',
  'DATE',
  'TIME',
]);
/** US state codes, which appear in addresses. */
const STATE_CODES = new Set([
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'ME',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
]);
const FILE_NAMES = new Set([
  'AGENTS',
  'CLAUDE',
  'GEMINI',
  'README',
  'CHANGELOG',
  'LICENSE',
  'CONTRIBUTING',
  'SECURITY',
  'NOTICE',
  'AUTHORS',
  'CODEOWNERS',
  'TODO',
]);
const ROMAN = /^(?=[IVXLCDM]+$)M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$/;

/** Capitalised words that are not acronyms whatever the document: numerals, state codes, file names, emphasis. */
function notAnAcronym(word: string, ears: boolean): boolean {
  return (
    ROMAN.test(word) ||
    STATE_CODES.has(word) ||
    FILE_NAMES.has(word) ||
    SHOUTED.has(word) ||
    (ears && EARS_KEYWORDS.has(word)) ||
    /^(?:Y{2,4}|M{2}|D{2}|H{2}|S{2})$/.test(word)
  );
}

const ACRONYM = /(?<![\p{L}\p{N}_+-])([A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*)(s?)(?![\p{L}\p{N}_-])/gu;

/** What the fix writes where the author must type the full name: visible when rendered, and reported by the placeholder rule until filled. */
const ACRONYM_BLANK = fillIn('full name');

function initials(words: string, keepSmallWords = false): string {
  return words
    .replace(/[,;]/g, ' ')
    .split(/[\s-]+/)
    .filter((w) => w && (keepSmallWords || !/^(?:of|and|or|and\/or|for|the|in|on|to|a|an|&)$/i.test(w)))
    .map((w) => w[0].toUpperCase())
    .join('');
}

/** "Time to Interactive" spells TTI and "Terms of Service" TOS: small words count in some acronyms and not in others. */
function spells(words: string, acronym: string): boolean {
  return initials(words) === acronym || initials(words, true) === acronym;
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
        if (spells(candidate, acronym)) use.expansion = candidate;
      }
    }
    const after = /^\s*\(([^)]{3,80})\)/.exec(text.slice(end));
    // "HTTP (Hypertext Transfer Protocol)": the spelled-out name need not match the letters exactly
    if (
      !use.expansion &&
      after &&
      (spells(after[1], acronym) || /^\p{L}[\p{L}'-]*(?:\s+[\p{L}'-]+)+$/u.test(after[1].trim()))
    )
      use.expansion = after[1].trim();
    uses.push(use);
  }
  return uses;
});

const lowercaseWordsOf = perSentence((_prose, text) => text.match(/\b[a-z]{2,6}\b/g) ?? []);

export const unexpandedAcronym: Rule = {
  id: 'unexpanded-acronym',
  description: 'An acronym used before the place that spells it out.',
  category: 'ambiguity',
  // never-spelled-out acronyms were right on about 1 in 25 on agent files, product specs and standards
  // (their readers know CI, PII or TLS): only an acronym spelled out after its first use is reported.
  defaultSeverity: 'information',
  check(ctx) {
    const { ears } = conventionsOf(ctx.doc);
    const firstUse = new Map<string, { offset: number; end: number }>();
    const expandedAt = new Map<string, { offset: number; expansion: string }>();
    for (const { sentence, prose } of proseSentences(ctx, { commentary: true })) {
      for (const use of detect(sentence, prose)) {
        const offset = sentence.span.start + use.start;
        if (use.expansion && !expandedAt.has(use.acronym))
          expandedAt.set(use.acronym, { offset, expansion: use.expansion });
        // commentary may spell an acronym out, but is not itself checked
        if (!sentence.commentary && !firstUse.has(use.acronym))
          firstUse.set(use.acronym, { offset, end: sentence.span.start + use.end });
      }
    }
    // a capitalised English word ("in ANY message") is emphasis: the document also writes it in lowercase
    const lowercaseWords = new Set<string>();
    if (firstUse.size)
      for (const { sentence, prose } of proseSentences(ctx, { commentary: true }))
        for (const word of lowercaseWordsOf(sentence, prose)) lowercaseWords.add(word);
    // an acronym spelled out in a Definitions/Glossary entry counts as expanded
    const glossary = ctx.doc.text;
    for (const [acronym, use] of firstUse) {
      const expanded = expandedAt.get(acronym);
      if (expanded && expanded.offset <= use.offset) continue;
      if (notAnAcronym(acronym, ears) || TECH_KNOWN.has(acronym)) continue;
      // never spelled out: right on 1 of 19 judged findings across the corpus (readers know PAT, SHA, MQTT): not reported
      if (!expanded) continue;
      // spelled out a few words later ("Contains PII: ... personally identifying information (PII)"): read as one explanation
      if (expanded && !/\n\s*\n/.test(ctx.doc.text.slice(use.offset, expanded.offset))) continue;
      if (lowercaseWords.has(acronym.toLowerCase())) continue;
      if (new RegExp(`\\*\\*${acronym}\\*\\*\\s*[:(—-]`).test(glossary)) continue;
      const span = { start: use.offset, end: use.offset + acronym.length };
      const fixes: Fix[] = [];
      if (expanded)
        fixes.push({
          title: `Expand to "${expanded.expansion} (${acronym})"`,
          edits: [{ span, newText: `${expanded.expansion} (${acronym})` }],
          preferred: true,
          safe: true,
        });
      else
        fixes.push({
          title: `Spell it out: "${ACRONYM_BLANK} (${acronym})"`,
          edits: [{ span, newText: `${ACRONYM_BLANK} (${acronym})` }],
          preferred: true,
          needsInput: true,
        });
      ctx.report({
        span,
        message: expanded
          ? `"${acronym}" is used before it is spelled out (later: "${expanded.expansion}"): expand it at its first use.`
          : `"${acronym}" is never spelled out: expand it at its first use, e.g. "Full Name (${acronym})".`,
        fixes,
      });
    }
  },
};
