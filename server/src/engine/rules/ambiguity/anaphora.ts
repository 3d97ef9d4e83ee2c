import type { Token } from '../../nlp';

const SINGULAR = new Set(['it', 'its', 'itself']);
const PLURAL = new Set(['they', 'them', 'their', 'theirs', 'themselves']);
const DEMONSTRATIVE = new Set(['this', 'that', 'these', 'those', 'such']);

/** Nouns that rarely serve as antecedents: units, time, abstract fillers. */
const WEAK_HEADS = new Set([
  'time',
  'case',
  'way',
  'part',
  'order',
  'example',
  'number',
  'kind',
  'type',
  'lot',
  'end',
  'fact',
  'point',
  'use',
  'addition',
  'respect',
]);

function isPlural(token: Token): boolean {
  const word = token.text.toLowerCase();
  return token.pos === 'NOUN' && word !== token.lemma.toLowerCase() && /s$/.test(word);
}

/**
 * Heads of the noun phrases before `index` in the same sentence that agree in number with the
 * pronoun: the candidates a reader has to choose between. A noun followed by another noun is a
 * modifier ("database server"), not a head.
 */
export function candidateAntecedents(tokens: Token[], index: number): string[] {
  const pronoun = tokens[index].text.toLowerCase();
  const wantPlural = PLURAL.has(pronoun);
  const heads = new Set<string>();
  for (let i = 0; i < index; i++) {
    const token = tokens[i];
    if (token.pos !== 'NOUN' && token.pos !== 'PROPN') continue;
    const next = tokens[i + 1];
    if (next && (next.pos === 'NOUN' || next.pos === 'PROPN') && i + 1 < index) continue;
    if (WEAK_HEADS.has(token.lemma.toLowerCase())) continue;
    if (token.pos === 'PROPN' && !wantPlural) {
      heads.add(token.text.toLowerCase());
      continue;
    }
    if (isPlural(token) === wantPlural) heads.add(token.lemma.toLowerCase());
  }
  return [...heads];
}

export type PronounReading =
  { unclear: false } | { unclear: true; reason: 'no-noun' | 'several-candidates'; candidates: string[] };

/**
 * Whether the pronoun at `index` leaves its antecedent open. A demonstrative that opens a sentence
 * with no noun after it ("This means ...") points at a whole previous idea; "it"/"they" with two
 * or more nouns of the same number before it in the sentence could mean either.
 */
export function readPronoun(tokens: Token[], index: number): PronounReading {
  const token = tokens[index];
  const word = token.text.toLowerCase();
  if (DEMONSTRATIVE.has(word)) {
    const next = tokens[index + 1];
    const first = tokens.slice(0, index).every((t) => t.pos === 'PUNCT' || t.pos === 'SPACE' || t.pos === 'CCONJ');
    // "That said", "That is": discourse markers, not references
    if (next && /^(?:said|is,|being)$/i.test(next.text)) return { unclear: false };
    if (first && next && (next.pos === 'AUX' || next.pos === 'VERB' || next.pos === 'ADV' || next.pos === 'PUNCT'))
      return { unclear: true, reason: 'no-noun', candidates: [] };
    return { unclear: false };
  }
  if (!SINGULAR.has(word) && !PLURAL.has(word)) return { unclear: false };
  // expletive "it": "it is important to", "it seems that"
  const next = tokens[index + 1]?.lemma.toLowerCase();
  if (
    word === 'it' &&
    (next === 'be' || next === 'seem' || next === 'appear' || next === 'make') &&
    tokens.slice(index + 2, index + 6).some((t) => /^(?:to|that|whether|if)$/i.test(t.text))
  )
    return { unclear: false };
  const candidates = candidateAntecedents(tokens, index);
  if (candidates.length >= 2) return { unclear: true, reason: 'several-candidates', candidates };
  return { unclear: false };
}
