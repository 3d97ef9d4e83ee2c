import type { ClauseForm, TailToken } from './form';

/**
 * Minimal-pair contrast: two duties with the same frame (actor, action, object, conditions) that
 * differ in one complement slot cannot both be obeyed when that slot holds one value: a number
 * ("within 14 days" / "within 30 days"), a frequency (daily / weekly), an antonym (highest /
 * lowest, any / all), a value restricted by "only" ("on a Windows server only" / "on a Linux
 * server"), or a choice that has one value (output format, encoding, region, first character).
 * A difference in the actor or the object is a parallel rule, not a conflict.
 */
export interface Contrast {
  kind: 'number' | 'frequency' | 'antonym' | 'only' | 'single-value' | 'only-if' | 'scope';
  /** The differing words as written in the first and the second clause. */
  first: string;
  second: string;
}

const TIME_UNITS: Record<string, number> = {
  millisecond: 0.001,
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  'business day': 86400,
  week: 604800,
  fortnight: 1209600,
  month: 2629800,
  quarter: 7889400,
  year: 31557600,
};
const ADVERB_PERIOD: Record<string, number> = {
  hourly: 3600,
  daily: 86400,
  nightly: 86400,
  weekly: 604800,
  biweekly: 1209600,
  fortnightly: 1209600,
  monthly: 2629800,
  quarterly: 7889400,
  yearly: 31557600,
  annual: 31557600,
  semiannually: 15778800,
};
const NUMBER_WORDS: Record<string, number> = {
  once: 1,
  twice: 2,
  thrice: 3,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  a: 1,
  an: 1,
};

/** Words that turn the number after them into a bound. */
const UPPER = [
  'at most',
  'no more than',
  'not more than',
  'up to',
  'maximum',
  'max',
  'fewer than',
  'less than',
  'under',
  'below',
  'within',
  'no later than',
  'not exceed',
  'exceed',
  'before',
  'by',
];
const LOWER = [
  'at least',
  'no fewer than',
  'no less than',
  'not less than',
  'minimum',
  'min',
  'more than',
  'over',
  'above',
  'after',
  'no sooner than',
];

/** Actions whose "in <language>" names the one language of the reply (reply, answer, respond are one action: see form.ts). */
const SPEAKING_ACTIONS = new Set(['respond', 'write', 'speak', 'communicate', 'talk']);
const LANGUAGE_NAMES = new Set([
  'english',
  'french',
  'spanish',
  'german',
  'italian',
  'portuguese',
  'dutch',
  'russian',
  'ukrainian',
  'polish',
  'czech',
  'swedish',
  'norwegian',
  'danish',
  'finnish',
  'greek',
  'turkish',
  'arabic',
  'hebrew',
  'persian',
  'hindi',
  'bengali',
  'urdu',
  'chinese',
  'mandarin',
  'cantonese',
  'japanese',
  'korean',
  'vietnamese',
  'thai',
  'indonesian',
  'malay',
]);

/** A language named ("English", "Simplified Chinese") or described ("the customer's language"). */
function isLanguage(tokens: TailToken[]): boolean {
  const last = tokens[tokens.length - 1]?.w;
  return last === 'language' || (tokens.length <= 2 && LANGUAGE_NAMES.has(last ?? ''));
}

/** "in English" / "in the user's language" after a reply verb: the clause sets the reply's language. */
export function setsReplyLanguage(form: ClauseForm): boolean {
  if (!form.action || !SPEAKING_ACTIONS.has(form.action)) return false;
  const at = form.tail.findIndex((t) => t.w === 'in');
  if (at < 0) return false;
  const rest = form.tail.slice(at + 1);
  const end = rest.findIndex((t) => t.pos === 'ADP' || t.pos === 'PUNCT' || t.pos === 'CCONJ');
  return isLanguage(end < 0 ? rest : rest.slice(0, end));
}

/** Nouns whose value is one at a time: two clauses giving it two values contradict. */
const SINGLE_VALUED = new Set([
  'format',
  'encoding',
  'charset',
  'os',
  'system',
  'platform',
  'region',
  'timezone',
  'zone',
  'currency',
  'language',
  'locale',
  'default',
  'character',
  'letter',
  'color',
  'font',
  'theme',
  'protocol',
  'port',
  'version',
  'location',
  'country',
  'datacenter',
  'database',
  'extension',
  'prefix',
  'suffix',
  'unit',
  'mode',
  'order',
  'layout',
  'type',
  'style',
  'case',
]);
/** Actions that pick a value for a single-valued noun ("use UTF-8 encoding"); "support", "encrypt in region X" pick none. */
const CHOOSING_ACTIONS = new Set([
  'be',
  'use',
  'have',
  'set',
  'adopt',
  'choose',
  'select',
  'default',
  'configure',
  'store',
  'host',
  'keep',
  'encode',
  'format',
  'write',
  'save',
  'export',
  'display',
  'show',
  'deploy',
  'locate',
  'start',
  'begin',
  'end',
  'name',
  'sort',
  'order',
  'output',
  'return',
  'reside',
]);
const VALUE_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'X', 'SYM', 'NUM']);
/** Verb + preposition frames whose complement holds one value ("encoded in UTF-8", "start with a letter", "default to English"). */
const SINGLE_VALUED_FRAMES = new Set([
  'encode|in',
  'encode|as',
  'format|as',
  'format|in',
  'write|in',
  'serialize|as',
  'save|as',
  'export|as',
  'export|to',
  'default|to',
  'set|to',
  'start|with',
  'begin|with',
  'end|with',
  'store|in',
  'host|in',
  'host|on',
  'deploy|to',
  'deploy|in',
  'deploy|on',
  'locate|in',
  'keep|in',
  'reside|in',
  'sort|by',
  'order|by',
  'display|in',
  'show|in',
  'print|in',
  'denominate|in',
  'price|in',
  'name|after',
]);
const ANTONYMS: [string, string][] = [
  ['highest', 'lowest'],
  ['high', 'low'],
  ['maximum', 'minimum'],
  ['max', 'min'],
  ['largest', 'smallest'],
  ['first', 'last'],
  ['earliest', 'latest'],
  ['oldest', 'newest'],
  ['ascending', 'descending'],
  ['before', 'after'],
  ['any', 'all'],
  ['all', 'none'],
  ['every', 'no'],
  ['any', 'no'],
  ['always', 'never'],
  ['mandatory', 'optional'],
  ['required', 'optional'],
  ['require', 'optional'],
  ['public', 'private'],
  ['internal', 'external'],
  ['synchronous', 'asynchronous'],
  ['sync', 'async'],
  ['online', 'offline'],
  ['manual', 'automatic'],
  ['manually', 'automatically'],
  ['encrypted', 'unencrypted'],
  ['plaintext', 'encrypted'],
  ['read-only', 'writable'],
  ['visible', 'hidden'],
  ['enabled', 'disabled'],
  ['enable', 'disable'],
  ['open', 'closed'],
  ['include', 'exclude'],
  ['inclusive', 'exclusive'],
  ['stateful', 'stateless'],
  ['relational', 'non-relational'],
  ['sql', 'nosql'],
  ['formal', 'informal'],
  ['local', 'remote'],
  ['top', 'bottom'],
  ['left', 'right'],
  ['upper', 'lower'],
  ['uppercase', 'lowercase'],
  ['more', 'less'],
  ['increase', 'decrease'],
  ['permanent', 'temporary'],
  ['same', 'different'],
];
/** Words before a number that make it an identifier, not a value ("section 3", "step 2"). */
const IDENTIFIER_NOUNS = new Set([
  'section',
  'chapter',
  'step',
  'figure',
  'table',
  'appendix',
  'phase',
  'level',
  'tier',
  'rule',
  'article',
  'item',
  'page',
  'line',
  'rfc',
  'iso',
  'requirement',
  'req',
  'fr',
  'nfr',
  'case',
  'scenario',
  'stage',
  'part',
  'annex',
  'clause',
  'story',
  'id',
  'number',
  'no',
  '#',
]);

function antonymous(a: string, b: string): boolean {
  if (a === 'non-' + b || b === 'non-' + a || a === 'un' + b || b === 'un' + a) return true;
  return ANTONYMS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

const isNumberWord = (t: TailToken) => t.pos === 'NUM' || /^\d/.test(t.w);

/** A frequency as a period in seconds: "daily", "every 2 weeks", "once per month", "3 times a day", "per year". */
function frequencyOf(tokens: TailToken[]): number | undefined {
  const words = tokens.map((t) => t.w);
  const joined = ' ' + words.join(' ') + ' ';
  for (const [adverb, period] of Object.entries(ADVERB_PERIOD)) if (joined.includes(` ${adverb} `)) return period;
  const unit = (w: string) => TIME_UNITS[w] ?? TIME_UNITS[w.replace(/s$/, '')];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if ((w === 'every' || w === 'each') && i + 1 < words.length) {
      const count = parseCount(words[i + 1]);
      if (count !== undefined && i + 2 < words.length && unit(words[i + 2])) return count * unit(words[i + 2]);
      if (unit(words[i + 1])) return unit(words[i + 1]);
    }
    if ((w === 'per' || w === 'a' || w === 'an') && i + 1 < words.length && unit(words[i + 1]) && i > 0) {
      // "3 times per day", "once a week", "twice per month"
      const before = words.slice(Math.max(0, i - 2), i);
      const times =
        before.includes('time') || before.includes('once') || before.includes('twice') || before.includes('thrice');
      if (w === 'per' || times) {
        const countWord = before.find((x) => parseCount(x) !== undefined);
        const count = countWord ? parseCount(countWord)! : 1;
        return unit(words[i + 1]) / count;
      }
    }
  }
  return undefined;
}

function parseCount(word: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(word)) return parseFloat(word);
  return NUMBER_WORDS[word];
}

interface Quantity {
  value: number;
  unit: string;
  /** -1 upper bound, +1 lower bound, 0 an exact value. */
  direction: -1 | 0 | 1;
  text: string;
}

/** The number in a differing segment with the bound before it and the unit after it, read from the whole tail. */
function quantityAt(tail: TailToken[], index: number, negated: boolean): Quantity | undefined {
  const token = tail[index];
  const value = parseFloat(token.w.replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  const before = tail[index - 1]?.w;
  if (before && IDENTIFIER_NOUNS.has(before)) return undefined;
  // the unit: the next word or two ("km / h", "business days"), else a bare count
  let unit = '';
  let end = index;
  const next = tail[index + 1];
  if (
    next &&
    (next.pos === 'NOUN' || next.pos === 'PROPN' || next.pos === 'SYM' || /^[a-z%]+$/i.test(next.w)) &&
    !['and', 'or', 'to', 'of', 'per', 'in', 'for', 'on', 'at'].includes(next.w)
  ) {
    unit = next.w.replace(/s$/, '');
    end = index + 1;
    if (tail[index + 2]?.w === '/' && tail[index + 3]) {
      unit += '/' + tail[index + 3].w;
      end = index + 3;
    } else if (next.pos === 'ADJ' && tail[index + 2] && tail[index + 2].pos === 'NOUN') {
      unit = tail[index + 2].w.replace(/s$/, '');
      end = index + 2;
    }
  }
  let scaled = value;
  const time = TIME_UNITS[unit];
  if (time !== undefined) {
    scaled = value * time;
    unit = 'time';
  }
  const lead = tail
    .slice(Math.max(0, index - 3), index)
    .map((t) => t.w)
    .join(' ');
  let direction: -1 | 0 | 1 = 0;
  let start = index;
  for (const phrase of UPPER)
    if ((' ' + lead).endsWith(' ' + phrase)) {
      direction = -1;
      start = index - phrase.split(' ').length;
      break;
    }
  if (!direction)
    for (const phrase of LOWER)
      if ((' ' + lead).endsWith(' ' + phrase)) {
        direction = 1;
        start = index - phrase.split(' ').length;
        break;
      }
  if (negated && direction) direction = direction === -1 ? 1 : -1;
  const text = tail
    .slice(start, end + 1)
    .map((t) => t.text)
    .join(' ')
    .replace(/ \/ /g, '/');
  return { value: scaled, unit, direction, text };
}

function diff(a: TailToken[], b: TailToken[]): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix].w === b[prefix].w) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix].w === b[b.length - 1 - suffix].w
  )
    suffix++;
  return { prefix, suffix };
}

const written = (tokens: TailToken[]) =>
  tokens
    .map((t) => t.text)
    .join(' ')
    .replace(/ ([-/]) /g, '$1')
    .replace(/ ('s)\b/g, '$1');
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Same actor and subject: two subjects that both name something must name the same thing. */
function sameFrame(a: ClauseForm, b: ClauseForm): boolean {
  if (!a.action || a.action !== b.action) return false;
  if (a.actor && b.actor && a.actor !== b.actor) return false;
  if (a.subject.length && b.subject.length && !sameList(a.subject, b.subject)) return false;
  return !a.anaphoric && !b.anaphoric && !a.hasException && !b.hasException;
}

const STRONG = new Set(['must', 'must not', 'never', 'always', 'should', 'should not']);

/** The contrast between two clauses of one frame, or undefined when they do not collide this way. */
export function contrastOf(a: ClauseForm, b: ClauseForm): Contrast | undefined {
  if (!sameFrame(a, b) || !a.modality || !b.modality || !STRONG.has(a.modality) || !STRONG.has(b.modality))
    return undefined;
  const { prefix, suffix } = diff(a.tail, b.tail);
  const da = a.tail.slice(prefix, a.tail.length - suffix);
  const db = b.tail.slice(prefix, b.tail.length - suffix);
  const sameConditions = sameList(a.conditions, b.conditions);
  if (a.polarity !== b.polarity && !!a.conditions.length !== !!b.conditions.length && (!da.length || !db.length)) {
    // a ban limited to one phase or case against the unconditional duty (or the reverse): the
    // conditional clause says no more than the other ("shall not run during business hours" /
    // "shall run every hour"), so the two meet inside the condition
    const scoped = a.conditions.length ? a : b;
    const scopedDiff = scoped === a ? da : db;
    // "if a legal hold is active, must not delete" is the exception an author means; a phase
    // ("during business hours", "while a sync runs") is a stretch of time the duty also covers
    if (scoped.onlyIf || scopedDiff.length || !scoped.conditionText.every((c) => /^(during|while)\b/i.test(c)))
      return undefined;
    return {
      kind: 'scope',
      first: a.conditionText.join(', ') || 'always',
      second: b.conditionText.join(', ') || 'always',
    };
  }
  if (!da.length && !db.length) {
    // the same duty, in scopes the conditions set apart
    if (sameConditions) return undefined;
    if (a.polarity === b.polarity && a.polarity > 0) {
      const [scoped, open] = a.onlyIf && !b.conditions.length ? [a, b] : b.onlyIf && !a.conditions.length ? [b, a] : [];
      if (scoped && open)
        return scoped === a
          ? { kind: 'only-if', first: a.onlyIf!, second: 'always' }
          : { kind: 'only-if', first: 'always', second: b.onlyIf! };
    }
    return undefined;
  }
  if (!sameConditions || a.polarity !== b.polarity) return undefined;
  if (da.length > 4 || db.length > 4) return undefined;
  const first = written(da);
  const second = written(db);
  // numbers in one slot
  const na = da.findIndex(isNumberWord);
  const nb = db.findIndex(isNumberWord);
  if (na >= 0 && nb >= 0 && da.filter(isNumberWord).length === 1 && db.filter(isNumberWord).length === 1) {
    const qa = quantityAt(a.tail, prefix + na, a.polarity < 0);
    const qb = quantityAt(b.tail, prefix + nb, b.polarity < 0);
    if (!qa || !qb || qa.unit !== qb.unit || qa.value === qb.value) return undefined;
    // "at least 8" and "at most 64" both hold for 10; two bounds of one kind, or two values, do not agree
    if (qa.direction && qb.direction && qa.direction !== qb.direction) {
      const [upper, lower] = qa.direction < 0 ? [qa, qb] : [qb, qa];
      if (upper.value >= lower.value) return undefined;
    } else if ((qa.direction === 0) !== (qb.direction === 0)) {
      const [exact, bound] = qa.direction === 0 ? [qa, qb] : [qb, qa];
      if (bound.direction < 0 ? exact.value <= bound.value : exact.value >= bound.value) return undefined;
    }
    return { kind: 'number', first: qa.text, second: qb.text };
  }
  if (na >= 0 || nb >= 0) {
    const fa = frequencyOf(a.tail.slice(Math.max(0, prefix - 3)));
    const fb = frequencyOf(b.tail.slice(Math.max(0, prefix - 3)));
    if (fa !== undefined && fb !== undefined && fa !== fb) return { kind: 'frequency', first, second };
    return undefined;
  }
  const fa = frequencyOf(a.tail.slice(Math.max(0, prefix - 3)));
  const fb = frequencyOf(b.tail.slice(Math.max(0, prefix - 3)));
  if (fa !== undefined && fb !== undefined) return fa !== fb ? { kind: 'frequency', first, second } : undefined;
  if (da.length === 1 && db.length === 1 && antonymous(da[0].w, db[0].w)) return { kind: 'antonym', first, second };
  if (!da.length || !db.length) return undefined;
  // "Always answer in the customer's language" / "Reply in English": a reply has one language
  if (SPEAKING_ACTIONS.has(a.action!) && a.tail[prefix - 1]?.w === 'in' && isLanguage(da) && isLanguage(db))
    return { kind: 'single-value', first, second };
  const values = (tokens: TailToken[]) => tokens.every((t) => VALUE_POS.has(t.pos));
  if (!values(da) || !values(db)) return undefined;
  if (a.onlyComplement || b.onlyComplement) return { kind: 'only', first, second };
  const before = a.tail[prefix - 1]?.w;
  const after = a.tail[a.tail.length - suffix]?.w;
  const preposition = a.tail
    .slice(0, prefix)
    .reverse()
    .find((t) => t.pos === 'ADP')?.w;
  const choosing = CHOOSING_ACTIONS.has(a.action!);
  const single =
    (choosing && after !== undefined && SINGLE_VALUED.has(after)) ||
    (choosing && before !== undefined && SINGLE_VALUED.has(before)) ||
    (a.action === 'be' && a.subject.some((w) => SINGLE_VALUED.has(w)) && prefix === 0) ||
    (preposition !== undefined && prefix <= 3 && SINGLE_VALUED_FRAMES.has(`${a.action}|${preposition}`));
  if (single) return { kind: 'single-value', first, second };
  return undefined;
}
