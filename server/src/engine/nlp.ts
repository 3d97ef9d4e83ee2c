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
  const doc = engine.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const lemmas = doc.tokens().out(its.lemma as never) as unknown as string[];
  const negation = doc.tokens().out(its.negationFlag) as unknown as boolean[];
  const tokens: Token[] = [];
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const found = text.indexOf(values[i], cursor);
    const start = found < 0 ? cursor : found;
    const end = found < 0 ? cursor : found + values[i].length;
    cursor = end;
    // wink gives no lemma for some tokens (an unsplit "cannot" before a comma): the word stands for itself
    const lemma = typeof lemmas[i] === 'string' ? lemmas[i] : values[i].toLowerCase();
    tokens.push({ text: values[i], start, end, pos: pos[i], lemma, negated: !!negation[i] });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, tokens);
  return tokens;
}
