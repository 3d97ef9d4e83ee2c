import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** One word of a sentence as the NLP model reads it. Offsets are into the analysed text. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** Universal POS tag: NOUN, VERB, AUX, ADJ, ADV, PRON, DET, ADP, PART, NUM, PUNCT, ... */
  pos: string;
  lemma: string;
  /** Inside the scope of a negation ("must not reveal ..."). */
  negated: boolean;
}

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

/** The model takes ~100 ms to load: load it on first use, never at start-up. */
function instance(): Nlp {
  if (!nlp) nlp = winkNLP(model);
  return nlp;
}

const cache = new Map<string, Token[]>();
const CACHE_LIMIT = 20000;

/**
 * Part-of-speech, lemma and negation for a piece of plain prose (one sentence or a paragraph).
 * Results are cached by text, because the same sentences are analysed on every keystroke.
 */
export function analyze(text: string): Token[] {
  const cached = cache.get(text);
  if (cached) return cached;
  const engine = instance();
  const its = engine.its;
  const { read, longRuns } = withoutLongRuns(text);
  const doc = engine.readDoc(read);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const lemmas = doc.tokens().out(its.lemma as never) as unknown as string[];
  const negation = doc.tokens().out(its.negationFlag) as unknown as boolean[];
  const tokens: Token[] = [];
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const found = read.indexOf(values[i], cursor);
    const start = found < 0 ? cursor : found;
    // the stand-in for a long run is given back its own text
    const run = found >= 0 && values[i] === STAND_IN ? longRuns.get(found) : undefined;
    const value = run ?? values[i];
    const end = found < 0 ? cursor : found + value.length;
    // wink gives no lemma for some tokens (an unsplit "cannot" before a comma): the word stands for itself
    const lemma = run === undefined && typeof lemmas[i] === 'string' ? lemmas[i] : value.toLowerCase();
    cursor = end;
    tokens.push({ text: value, start, end, pos: pos[i], lemma, negated: !!negation[i] });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, tokens);
  return tokens;
}

/** A run of this many characters without a space is a name (a path, an identifier, a URL), not a word. */
const LONG_RUN_LENGTH = 100;
const LONG_RUN = new RegExp(`\\S{${LONG_RUN_LENGTH},}`, 'g');
/** What the model reads in place of a long run: a plain noun, as a name is. */
const STAND_IN = 'name';

/**
 * The text with each long run of non-space characters replaced by `STAND_IN` and spaces, so that
 * offsets stay; and the runs by their offset. The model's tokenizer tries regexes (e-mail addresses,
 * abbreviations) that cost the square of a word's length: 800 sentences each holding a 3,000-character
 * identifier took 7 s in them alone.
 */
function withoutLongRuns(text: string): { read: string; longRuns: Map<number, string> } {
  const longRuns = new Map<number, string>();
  if (text.length < LONG_RUN_LENGTH) return { read: text, longRuns };
  const read = text.replace(LONG_RUN, (run: string, offset: number) => {
    longRuns.set(offset, run);
    return STAND_IN.padEnd(run.length, ' ');
  });
  return { read, longRuns };
}
