/**
 * Numeric limits stated in a clause ("at most 100 words", "within 30 days", "between 2 and 5
 * items"), reduced to an interval on one dimension so two limits can be compared across units.
 * Hand-written rather than compromise: the phrases specs use are few, and compromise costs
 * ~1 s to load for what a dozen patterns cover.
 */
export interface NumericConstraint {
  /** What is counted: `time`, `bytes`, or the singular unit (`word`, `item`, `character`). */
  dimension: string;
  /** Inclusive lower bound in base units (seconds, bytes, or the unit itself). */
  min: number;
  max: number;
  /** The phrase as written, for messages. */
  phrase: string;
}

const WORD_NUMBERS: Record<string, number> = {
  zero: 0,
  one: 1,
  a: 1,
  an: 1,
  single: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  ninety: 90,
  hundred: 100,
  thousand: 1000,
};

interface Unit {
  dimension: string;
  factor: number;
}
const TIME: Record<string, number> = {
  millisecond: 0.001,
  ms: 0.001,
  second: 1,
  sec: 1,
  s: 1,
  minute: 60,
  min: 60,
  hour: 3600,
  hr: 3600,
  h: 3600,
  day: 86400,
  week: 604800,
  month: 2629800,
  year: 31557600,
};
const BYTES: Record<string, number> = {
  byte: 1,
  b: 1,
  kb: 1e3,
  kilobyte: 1e3,
  mb: 1e6,
  megabyte: 1e6,
  gb: 1e9,
  gigabyte: 1e9,
};
const COUNTED: Record<string, string> = {
  word: 'word',
  character: 'character',
  char: 'character',
  sentence: 'sentence',
  paragraph: 'paragraph',
  item: 'item',
  bullet: 'item',
  'bullet point': 'item',
  line: 'line',
  page: 'page',
  token: 'token',
  percent: 'percent',
  '%': 'percent',
  time: 'time-count',
  attempt: 'attempt',
  retry: 'attempt',
  request: 'request',
  result: 'result',
  question: 'question',
  emoji: 'emoji',
  link: 'link',
  option: 'option',
  step: 'step',
  example: 'example',
  suggestion: 'suggestion',
  follow: 'question',
  user: 'user',
  session: 'session',
  message: 'message',
  turn: 'turn',
};

function singular(word: string): string {
  if (word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.endsWith('ses') || word.endsWith('xes')) return word.slice(0, -2);
  if (word.endsWith('s') && word.length > 3) return word.slice(0, -1);
  return word;
}

function unitOf(raw: string): Unit | undefined {
  // the last unit word is the head: "2 user messages" counts messages
  let found: Unit | undefined;
  for (const word of raw.toLowerCase().split(/\s+/)) found = singleUnit(word) ?? found;
  return found;
}

function singleUnit(word: string): Unit | undefined {
  const one = singular(word);
  if (TIME[word] !== undefined) return { dimension: 'time', factor: TIME[word] };
  if (TIME[one] !== undefined) return { dimension: 'time', factor: TIME[one] };
  if (BYTES[word] !== undefined) return { dimension: 'bytes', factor: BYTES[word] };
  if (BYTES[one] !== undefined) return { dimension: 'bytes', factor: BYTES[one] };
  const counted = COUNTED[word] ?? COUNTED[one];
  return counted ? { dimension: counted, factor: 1 } : undefined;
}

/** The phrase up to its unit word: "within 5 minutes of registration" -> "within 5 minutes". */
function trimToUnit(phrase: string): string {
  const words = phrase.split(/(\s+)/);
  while (
    words.length > 1 &&
    !singleUnit(words[words.length - 1].toLowerCase()) &&
    !words[words.length - 1].endsWith('%')
  )
    words.splice(-2, 2);
  return words.join('');
}

function numberOf(raw: string): number | undefined {
  const lower = raw.toLowerCase().replace(/,/g, '');
  if (/^\d+(\.\d+)?k$/.test(lower)) return parseFloat(lower) * 1000;
  if (/^\d+(\.\d+)?$/.test(lower)) return parseFloat(lower);
  return WORD_NUMBERS[lower];
}

const NUM = String.raw`(\d[\d,]{0,30}(?:\.\d+)?k?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|thousand)`;
/** The unit, possibly after up to two modifiers ("3 failed login attempts"). */
const UNIT = String.raw`(%|(?:[a-z][a-z-]*\s+){0,2}(?:bullet\s+)?[a-z]+)`;
const UPPER = String.raw`at most|no more than|not more than|up to|a maximum of|maximum of|max(?:imum)?|fewer than|less than|under|below|within|no later than|not to exceed|shorter than`;
const LOWER = String.raw`at least|no fewer than|no less than|not less than|a minimum of|minimum of|min(?:imum)?|more than|over|above|no sooner than|later than|longer than|exceeds?|exceeding`;
const STRICT =
  /^(fewer than|less than|under|below|more than|over|above|later than|longer than|shorter than|exceeds?|exceeding)$/;

const BOUND = new RegExp(
  String.raw`\b(${UPPER}|${LOWER}|exactly|after|for|be|is|are|set to|equal to|of)\s+${NUM}[\s-]*${UNIT}`,
  'gi',
);
/**
 * "must be 15 minutes", "a timeout of 30 seconds": a single value. "after 3 attempts" and "after 45
 * days" name the moment something happens, and "for 7 years" a duration: single values too.
 */
const EXACT = /^(exactly|be|is|are|set to|equal to|of|after|for)$/;
const RANGE = new RegExp(
  String.raw`\bbetween\s+${NUM}\s+and\s+${NUM}[\s-]*${UNIT}|\b${NUM}\s*(?:-|–|to)\s*${NUM}[\s-]*${UNIT}`,
  'gi',
);
const UPPER_RE = new RegExp(`^(${UPPER})$`, 'i');

/** All numeric limits in a sentence. `negated` flips bounds: "must not exceed 100 words" is at most 100. */
export function numericConstraints(text: string, negated: boolean): NumericConstraint[] {
  const result: NumericConstraint[] = [];
  const lower = text.toLowerCase();
  const taken: [number, number][] = [];
  for (const match of lower.matchAll(RANGE)) {
    const [a, b, unitRaw] = match[1] !== undefined ? [match[1], match[2], match[3]] : [match[4], match[5], match[6]];
    const unit = unitOf(unitRaw);
    const from = numberOf(a);
    const to = numberOf(b);
    if (!unit || from === undefined || to === undefined || from > to) continue;
    taken.push([match.index!, match.index! + match[0].length]);
    result.push({
      dimension: unit.dimension,
      min: from * unit.factor,
      max: to * unit.factor,
      phrase: trimToUnit(text.slice(match.index!, match.index! + match[0].length)),
    });
  }
  for (const match of lower.matchAll(BOUND)) {
    const at = match.index!;
    if (taken.some(([s, e]) => at >= s && at < e)) continue;
    const unit = unitOf(match[3]);
    const value = numberOf(match[2]);
    if (!unit || value === undefined) continue;
    const op = match[1];
    const amount = value * unit.factor;
    const phrase = trimToUnit(text.slice(at, at + match[0].length));
    if (EXACT.test(op)) {
      if (negated) continue; // "must not be 15 minutes" excludes one value, which rarely collides
      result.push({ dimension: unit.dimension, min: amount, max: amount, phrase });
      continue;
    }
    let upper = UPPER_RE.test(op);
    const strict = STRICT.test(op);
    if (negated) upper = !upper;
    // strict bounds move by a small step so "more than 5" and "at most 5" do not overlap
    const epsilon = strict !== negated ? Math.max(1e-9, unit.factor * 1e-6) : 0;
    if (upper) result.push({ dimension: unit.dimension, min: -Infinity, max: amount - epsilon, phrase });
    else result.push({ dimension: unit.dimension, min: amount + epsilon, max: Infinity, phrase });
  }
  return result;
}

/** Two limits on the same dimension that no value satisfies together. */
export function incompatible(a: NumericConstraint, b: NumericConstraint): boolean {
  return a.dimension === b.dimension && (a.max < b.min || b.max < a.min);
}
