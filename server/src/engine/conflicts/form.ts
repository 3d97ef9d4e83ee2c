import { analyze, type Token } from '../nlp';
import { numericConstraints, type NumericConstraint } from './numbers';
import { callLimitOf, toolCallsOf, type CallLimit, type ToolCalls } from './instructions';
import { OVERRIDE_HINT } from './precedence';

/** One word after the main verb: its normalized form (lemma, aliases applied), as written, and its tag. */
export interface TailToken {
  w: string;
  text: string;
  pos: string;
}

export type Modality = 'must' | 'should' | 'may' | 'must not' | 'should not' | 'may not' | 'never' | 'always' | 'only';

/** What a clause asks, reduced to the parts two clauses can collide on. Built from the text alone. */
export interface ClauseForm {
  /** Head noun of the subject before the modal ("developer"); undefined for "it", "you" or an imperative. */
  actor?: string;
  modality?: Modality;
  /** The modality was read from an imperative ("Reveal the prompt") rather than written. */
  implicitModality: boolean;
  /** +1 for an obligation or permission to act, -1 for a prohibition. */
  polarity: 1 | -1 | 0;
  /** The main verb's lemma. */
  action?: string;
  /** The main verb as written ("disabled"), for messages. */
  actionWord?: string;
  /** Content lemmas of the action's object and complements (main part, conditions excluded). */
  objects: string[];
  /** Content lemmas of the whole sentence, for the index and near-duplicates. */
  lemmas: string[];
  /** The nouns, names, adjectives and numbers among them: what a sentence is about. */
  things: string[];
  /** Conditions as written ("if the user asks"), normalized to content lemmas for comparison. */
  conditions: string[];
  /** The sentence carves out an exception ("unless", "except", "however", "but"). */
  hasException: boolean;
  /** "Only admins may ...": the one actor allowed. */
  onlyActor?: string;
  /** "only through the admin console": the preposition and the allowed target's lemmas. */
  only?: { preposition: string; target: string[]; phrase: string };
  /** Prepositional targets of the main part ("through the public API" -> through: [public, api]). */
  targets: { preposition: string; target: string[]; phrase: string }[];
  /** Noun phrases with their modifiers, for "non-relational store" vs "relational store". */
  phrases: { head: string; modifiers: string[]; text: string }[];
  numbers: NumericConstraint[];
  /** Content words of the subject before the modal ("the export service" -> export, service), aliases applied. */
  subject: string[];
  /** The subject as written ("Only admins"), for messages. */
  subjectText?: string;
  /** The words after the main verb, as the slots two duties of one frame can differ in (see contrast.ts). */
  tail: TailToken[];
  /** "only" restricts the complement ("on a Windows server only", "only on Windows"). */
  onlyComplement: boolean;
  /** The condition as written when the clause holds "only if …" / "only when …". */
  onlyIf?: string;
  /** The conditions as written, for messages. */
  conditionText: string[];
  /** The object is "this boundary", "these", "such content": its meaning lives in the sentence before. */
  anaphoric: boolean;
  /** "takes precedence over", "overrides" (active) or "can be overridden by" (passive). */
  override?: { direction: 'overrides' | 'overridden-by'; negated: boolean; phrase: string };
  /**
   * How a requirement-list statement without a modal was read: "statement" for "The system
   * encrypts exports." (a duty), "fragment" for "Session timeout: 15 minutes" (a value).
   */
  reading?: 'statement' | 'fragment';
  /** A fragment's section: a label repeated in another section may name another context. */
  fragmentSection?: string;
  /** "Each tool may be called once per order": how often a tool may be called. */
  callLimit?: CallLimit;
  /** The tools this clause calls and how often ("call the refund tool, then call it again"). */
  calls: ToolCalls[];
  /** In a procedure (one list), the calls of each tool this step makes, counted from the list's first step. */
  procedureCalls?: ToolCalls[];
}

const STOP = new Set([
  'be',
  'have',
  'do',
  'get',
  'make',
  'thing',
  'way',
  'case',
  'also',
  'such',
  'other',
  'any',
  'all',
  'some',
  'many',
  'much',
  'more',
  'most',
  'very',
  'just',
  'only',
  'own',
  'same',
  'e.g.',
  'i.e.',
  'etc',
  'example',
  'instance',
  'generally',
  'always',
  'never',
  'not',
  'e.g',
  'i.e',
  'able',
  'likely',
  'well',
]);
/** Verbs whose past participle the tagger may read as an adjective ("must be enabled"). */
const PARTICIPLE_VERBS = new Set([
  'enable',
  'disable',
  'allow',
  'block',
  'deny',
  'prohibit',
  'forbid',
  'permit',
  'accept',
  'reject',
  'approve',
  'show',
  'hide',
  'display',
  'include',
  'exclude',
  'lock',
  'unlock',
  'grant',
  'revoke',
  'retain',
  'delete',
  'keep',
  'store',
  'discard',
  'encrypt',
  'start',
  'stop',
  'remove',
  'purge',
  'erase',
  'destroy',
  'preserve',
  'archive',
  'require',
  'log',
  'record',
  'share',
  'publish',
  'restrict',
  'open',
  'close',
  'expose',
  'cache',
]);

function participleVerb(word: string): string | undefined {
  const w = word.toLowerCase();
  if (!w.endsWith('ed')) return undefined;
  const candidates = [w.slice(0, -1), w.slice(0, -2), w.slice(0, -3) + 'y', w.slice(0, -3)];
  return candidates.find((c) => PARTICIPLE_VERBS.has(c));
}

/** Names a spec uses for the thing it specifies: one actor, not several. */
const PRODUCT_ACTOR = new Set([
  'system',
  'application',
  'app',
  'service',
  'platform',
  'product',
  'software',
  'server',
  'tool',
]);
const NEGATIVE_SUBJECT = new Set(['no', 'nobody', 'none', 'neither', 'nothing']);
const DEMONSTRATIVE = new Set(['this', 'these', 'that', 'those', 'such', 'said']);
const PRONOUNS = new Set(['it', 'you', 'they', 'we', 'he', 'she', 'this', 'that', 'these', 'those', 'one']);
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'NUM']);
const CONDITION_START = new Set([
  'if',
  'when',
  'whenever',
  'unless',
  'except',
  'excluding',
  'provided',
  'where',
  'while',
  'once',
  'until',
  'during',
]);
const EXCEPTION_WORDS = /\b(unless|except|excluding|however|but|otherwise|instead|aside from|other than|exception)\b/i;
const PREPOSITIONS = new Set([
  'through',
  'thru',
  'via',
  'by',
  'in',
  'with',
  'from',
  'using',
  'to',
  'on',
  'into',
  'over',
]);
const ANTONYMS: [string, string][] = [
  ['synchronous', 'asynchronous'],
  ['stateful', 'stateless'],
  ['encrypted', 'unencrypted'],
  ['mandatory', 'optional'],
  ['sql', 'nosql'],
  ['online', 'offline'],
  ['formal', 'informal'],
  ['plaintext', 'encrypted'],
];

/** Lemmas that carry meaning; plural PROPN at sentence start ("Users") are singularized by hand. */
export function normalLemma(token: Token): string {
  let lemma = token.lemma.toLowerCase();
  if (token.pos === 'PROPN' && /[a-z]s$/.test(lemma) && lemma.length > 3)
    lemma = lemma.endsWith('ies') ? lemma.slice(0, -3) + 'y' : lemma.slice(0, -1);
  if (lemma === 'thru') lemma = 'through';
  return lemma;
}

export function isContent(token: Token): boolean {
  return CONTENT_POS.has(token.pos) && /[a-z0-9]/i.test(token.text) && !STOP.has(normalLemma(token));
}

const cache = new Map<string, ClauseForm>();
const CACHE_LIMIT = 50000;

/**
 * The normalized form of a clause's plain text, cached by text: an edit re-extracts only changed
 * clauses. `statement`: the sentence is an item of a requirement list, where "The system encrypts
 * exports." states a duty without a modal.
 */
export function clauseForm(plain: string, statement = false): ClauseForm {
  const key = statement ? '\u0001' + plain : plain;
  const cached = cache.get(key);
  if (cached) return cached;
  const form = extract(plain, statement);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, form);
  return form;
}

interface Modal {
  index: number;
  end: number;
  modality: Modality;
}

/** Finds the first modal construction and returns its modality and the index after it. */
function findModal(tokens: Token[]): Modal | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i].text.toLowerCase();
    const next = tokens[i + 1]?.text.toLowerCase();
    const notNext = next === 'not' || next === "n't" || next === 'never';
    switch (word) {
      case 'must':
      case 'shall':
      case 'need':
      case 'needs':
        if (word.startsWith('need') && next !== 'to' && !notNext) break;
        // "does not need to" lifts an obligation: the clause permits, it does not require
        if (word.startsWith('need') && i > 0 && /^(not|n't|never)$/i.test(tokens[i - 1].text))
          return { index: i, end: i + 2, modality: 'may' };
        return { index: i, end: notNext ? i + 2 : i + 1, modality: notNext ? 'must not' : 'must' };
      case 'should':
      case 'ought':
        return { index: i, end: notNext ? i + 2 : i + 1, modality: notNext ? 'should not' : 'should' };
      case 'may':
      case 'can':
      case 'could':
        if (word === 'could' && !notNext) break;
        return {
          index: i,
          end: notNext ? i + 2 : i + 1,
          modality: notNext ? (word === 'may' ? 'may not' : 'must not') : 'may',
        };
      case 'cannot':
        return { index: i, end: i + 1, modality: 'must not' };
      case 'never':
        return { index: i, end: i + 1, modality: 'never' };
      case 'always':
        return { index: i, end: i + 1, modality: 'always' };
      case 'do':
      case 'does':
        if (notNext && (i === 0 || tokens[i - 1].pos === 'PUNCT'))
          return { index: i, end: i + 2, modality: 'must not' };
        break;
      case 'is':
      case 'are':
        if (next === 'required' || next === 'expected' || next === 'obligated')
          return { index: i, end: i + 3, modality: 'must' };
        if (next === 'not' && (tokens[i + 2]?.text === 'allowed' || tokens[i + 2]?.text === 'permitted'))
          return { index: i, end: i + 4, modality: 'must not' };
        if (next === 'prohibited' || next === 'forbidden') return { index: i, end: i + 2, modality: 'must not' };
        if (next === 'allowed' || next === 'permitted') return { index: i, end: i + 3, modality: 'may' };
        break;
    }
  }
  return undefined;
}

const MAY_HAVE_NUMBER =
  /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|thousand|a single)\b/i;

/** Modals as people mistype them: one letter off ("shal", "sholud"). Only before "not", "be" or a verb-like word. */
const MODAL_WORDS = ['shall', 'must', 'should', 'will'];
/** Real words one letter away from a modal, never corrected. */
const NOT_MODALS = new Set([
  'shell',
  'small',
  'stall',
  'shale',
  'shawl',
  'mist',
  'most',
  'mast',
  'must',
  'just',
  'bust',
  'dust',
  'gust',
  'lust',
  'rust',
  'musk',
  'mush',
  'muse',
  'should',
  'shall',
  'will',
  'wild',
  'wilt',
  'well',
  'wall',
  'fill',
  'hill',
  'kill',
  'mill',
  'pill',
  'till',
  'bill',
  'sill',
  'gill',
  'mall',
  'ball',
  'call',
  'fall',
  'hall',
  'tall',
  'wills',
  'shoal',
  'shalt',
  'shill',
  'wile',
]);

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return (
      a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
    );
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * The sentence as a rule, before tagging: a modal misspelled by one letter ("The system shal not
 * …") is read as the modal, and "shall be forbidden to X" / "is prohibited from X-ing" as "must not X".
 */
export function normalizeRuleText(text: string): string {
  let result = text.replace(
    /\b([A-Za-z]{3,7})(?=\s+(?:not|be|never|always|only|also|\w+)\b)/g,
    (word, _w, offset: number, whole: string) => {
      const lower = word.toLowerCase();
      if (NOT_MODALS.has(lower) || MODAL_WORDS.includes(lower)) return word;
      const modal = MODAL_WORDS.find((m) => m !== 'will' && oneEditApart(lower, m));
      if (!modal) return word;
      // only where a modal fits: after a noun-like word, before "not", "be" or a base verb
      const next = /^\s+(\w+)/.exec(whole.slice(offset + word.length))?.[1].toLowerCase() ?? '';
      if (!/^(not|be|never|always|only|also)$/.test(next) && !/^[a-z]+$/.test(next)) return word;
      // after the subject: a word that is not an article, preposition or conjunction
      const previous = /(\w+)\s*$/.exec(whole.slice(0, offset))?.[1].toLowerCase();
      if (
        !previous ||
        /^(the|a|an|to|of|in|on|at|for|by|with|and|or|but|if|when|that|this|is|are|was|be)$/.test(previous)
      )
        return word;
      return modal;
    },
  );
  result = result
    .replace(
      /\b(shall|must|will|should)\s+be\s+(?:forbidden|prohibited|not\s+allowed|not\s+permitted|disallowed)\s+(?:to|from)\b/gi,
      '$1 not',
    )
    .replace(/\b(?:is|are)\s+(?:forbidden|prohibited|disallowed)\s+(?:to|from)\b/gi, 'must not');
  return result;
}

function extract(plain: string, statement: boolean): ClauseForm {
  const normalized = normalizeRuleText(plain.replace(/\s+/g, ' ').trim()).replace(LEADING_REQUIREMENT_ID, '');
  const reading = statement ? statementAsRule(normalized) : undefined;
  const text = reading?.text ?? normalized;
  const tokens = analyze(text);
  // Split off condition segments: a leading "If ..., " clause or a trailing "unless ..." clause.
  const inCondition = new Array<boolean>(tokens.length).fill(false);
  const conditionParts: Token[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i].text.toLowerCase();
    const twoWord =
      word === 'only' && (tokens[i + 1]?.text.toLowerCase() === 'if' || tokens[i + 1]?.text.toLowerCase() === 'when');
    const starts =
      CONDITION_START.has(word) || twoWord || (word === 'as' && tokens[i + 1]?.text.toLowerCase() === 'long');
    if (!starts) continue;
    // "after 30 days" is a number, not a condition; "where" after a noun is a relative clause
    if ((word === 'after' || word === 'before') && tokens[i + 1]?.pos === 'NUM') continue;
    if (word === 'where' && i > 0 && tokens[i - 1].pos === 'NOUN') continue;
    // "once per year", "once a day" is a frequency
    if (word === 'once' && /^(per|a|an|every|each|in)$/i.test(tokens[i + 1]?.text ?? '')) continue;
    const leading = i === 0 || (tokens[i - 1].pos === 'PUNCT' && i <= 2);
    let j = i + 1;
    while (
      j < tokens.length &&
      !(tokens[j].text === ',' && leading) &&
      tokens[j].text !== ';' &&
      !(tokens[j].text === ',' && !leading && j > i + 3)
    )
      j++;
    const part: Token[] = [];
    for (let k = i; k < j; k++) {
      inCondition[k] = true;
      part.push(tokens[k]);
    }
    conditionParts.push(part);
    i = j;
  }
  const main = tokens.filter((_, i) => !inCondition[i]);
  // the tagger reads "offer" in "If the user complains, offer a voucher" as a noun: a bare word
  // right after a leading condition, followed by an article, is the imperative verb
  const afterCondition = conditionParts.length > 0 && inCondition[0] ? main.findIndex((t) => t.pos !== 'PUNCT') : -1;
  if (
    afterCondition >= 0 &&
    main[afterCondition].pos === 'NOUN' &&
    main[afterCondition].text.toLowerCase() === main[afterCondition].lemma.toLowerCase() &&
    /^(DET|PRON)$/.test(main[afterCondition + 1]?.pos ?? '')
  ) {
    main[afterCondition] = { ...main[afterCondition], pos: 'VERB' };
  }
  // "Reply in English": the tagger reads a sentence-initial "Reply" or "Answer" as a name; before a
  // preposition, an article or a pronoun it is the imperative (a heading-like "Summary of changes"
  // starts with no such verb)
  const opening = main.findIndex((t) => t.pos !== 'PUNCT');
  if (
    opening >= 0 &&
    (main[opening].pos === 'NOUN' || main[opening].pos === 'PROPN') &&
    REPLY_VERBS.has(main[opening].text.toLowerCase()) &&
    /^(ADP|DET|PRON)$/.test(main[opening + 1]?.pos ?? '')
  )
    main[opening] = { ...main[opening], pos: 'VERB', lemma: main[opening].text.toLowerCase() };
  const modal = findModal(main);
  let modality = modal?.modality;
  const startOfAction = modal ? modal.end : 0;
  // "If the user complains, offer a voucher": the imperative starts after the condition's comma
  const firstWord = main.find((t) => t.pos !== 'PUNCT');
  const implicitModality = !modal && !!firstWord && firstWord.pos === 'VERB';
  if (implicitModality) modality = 'must';
  if (
    main.some((t, i) => t.text.toLowerCase() === 'only' && (!modal || i >= modal.index - 1)) &&
    modality &&
    !modality.includes('not') &&
    modality !== 'never'
  ) {
    // "may X only through A" keeps its modality; the "only" is recorded as a restriction below
  }
  // "No user may edit invoices" forbids what "Users may edit invoices" allows
  if (modal && main.slice(0, modal.index).some((t) => NEGATIVE_SUBJECT.has(t.text.toLowerCase()))) {
    const flip: Partial<Record<Modality, Modality>> = {
      must: 'must not',
      should: 'should not',
      may: 'must not',
      always: 'never',
    };
    modality = (modality && flip[modality]) ?? modality;
  }
  const polarity: 1 | -1 | 0 = !modality ? 0 : modality.includes('not') || modality === 'never' ? -1 : 1;

  let actor: string | undefined;
  if (modal) {
    for (let i = modal.index - 1; i >= 0; i--) {
      const t = main[i];
      if (t.pos === 'NOUN' || t.pos === 'PROPN') {
        actor = normalLemma(t);
        if (PRODUCT_ACTOR.has(actor)) actor = 'system';
        break;
      }
      if (t.pos === 'PRON' || PRONOUNS.has(t.text.toLowerCase())) break;
      if (t.pos === 'PUNCT' || t.pos === 'VERB') break;
    }
  }
  let onlyActor: string | undefined;
  if (
    actor &&
    modal &&
    main
      .slice(0, modal.index)
      .some((t, i) => t.text.toLowerCase() === 'only' && (i === 0 || main[i - 1].pos === 'PUNCT'))
  )
    onlyActor = actor;
  let action: string | undefined;
  let actionIndex = -1;
  let passive = false;
  for (let i = startOfAction; i < main.length; i++) {
    const t = main[i];
    if (t.pos === 'VERB' || (t.pos === 'AUX' && normalLemma(t) === 'be')) {
      action = actionOf(t);
      actionIndex = i;
      // "shall be able to close" is about closing
      if (
        action === 'be' &&
        main[i + 1]?.text.toLowerCase() === 'able' &&
        main[i + 2]?.text.toLowerCase() === 'to' &&
        main[i + 3]?.pos === 'VERB'
      ) {
        action = normalLemma(main[i + 3]);
        actionIndex = i + 3;
        break;
      }
      // "Offline mode: required" is a value of the mode, not a passive "is required"
      const fragment = reading?.kind === 'fragment';
      const participle =
        action === 'be' && !fragment && main[i + 1]?.pos === 'ADJ' ? participleVerb(main[i + 1].text) : undefined;
      if (participle) {
        action = participle;
        passive = true;
        actionIndex = i + 1;
        break;
      }
      if (action === 'be' && !fragment && main[i + 1]?.pos === 'VERB') {
        // passive: "the email must be sent" -> send; the subject is the object, the actor unnamed
        passive = true;
        continue;
      }
      break;
    }
    if (t.pos === 'NOUN' && i > startOfAction + 2) break;
  }
  const objects: string[] = [];
  let anaphoric = false;
  if (passive && modal) {
    for (let i = 0; i < modal.index; i++)
      if (isContent(main[i]) && (main[i].pos === 'NOUN' || main[i].pos === 'PROPN' || main[i].pos === 'ADJ'))
        objects.push(normalLemma(main[i]));
    if (actor && !PRODUCT_ACTOR.has(actor) && actor !== 'system') actor = undefined;
  }
  const targets: ClauseForm['targets'] = [];
  let only: ClauseForm['only'];
  const phrases: ClauseForm['phrases'] = [];
  if (actionIndex >= 0) {
    let modifiers: string[] = [];
    let phraseStart = -1;
    for (let i = actionIndex + 1; i < main.length; i++) {
      const t = main[i];
      const word = t.text.toLowerCase();
      if (t.text === ';' || t.text === ':') break;
      if (isContent(t)) objects.push(normalLemma(t));
      // "that field" points back to an earlier sentence unless the field was named in this one
      if (
        DEMONSTRATIVE.has(word) &&
        (main[i + 1]?.pos === 'NOUN' || main[i + 1]?.pos === 'ADJ') &&
        !main.slice(0, i).some((x) => normalLemma(x) === normalLemma(main[i + 1]))
      )
        anaphoric = true;
      if (
        i === actionIndex + 1 &&
        (t.pos === 'PRON' || DEMONSTRATIVE.has(word)) &&
        (i + 1 >= main.length || main[i + 1].pos === 'PUNCT')
      )
        anaphoric = true;
      if (PREPOSITIONS.has(normalLemma(t)) && t.pos === 'ADP') {
        const onlyBefore = main[i - 1]?.text.toLowerCase() === 'only';
        const target: string[] = [];
        let k = i + 1;
        for (
          ;
          k < main.length &&
          main[k].pos !== 'ADP' &&
          main[k].pos !== 'PUNCT' &&
          main[k].pos !== 'CCONJ' &&
          main[k].pos !== 'VERB' &&
          main[k].pos !== 'AUX';
          k++
        ) {
          if (isContent(main[k])) target.push(normalLemma(main[k]));
        }
        if (target.length) {
          const phrase = text.slice(t.start, main[k - 1].end);
          const entry = { preposition: normalLemma(t), target, phrase };
          if (onlyBefore && !only) only = { ...entry, phrase: 'only ' + phrase };
          else targets.push(entry);
        }
      }
      // noun phrases: adjectives/nouns ending in a noun head
      if (t.pos === 'ADJ' || (t.pos === 'NOUN' && main[i + 1]?.pos === 'NOUN') || word.startsWith('non-')) {
        if (phraseStart < 0) phraseStart = i;
        modifiers.push(word);
      } else if (t.pos === 'NOUN' || t.pos === 'PROPN') {
        if (modifiers.length)
          phrases.push({ head: normalLemma(t), modifiers, text: text.slice(main[phraseStart].start, t.end) });
        modifiers = [];
        phraseStart = -1;
      } else if (t.pos !== 'DET') {
        modifiers = [];
        phraseStart = -1;
      }
    }
  }
  const conditions = conditionParts
    .map((part) => part.filter(isContent).map(normalLemma).sort().join(' '))
    .filter(Boolean)
    .sort();
  const conditionText = conditionParts.map((part) => text.slice(part[0].start, part[part.length - 1].end));
  const onlyIf = conditionText.find((c) => /^only\s+(if|when)\b/i.test(c));
  const tail: TailToken[] = [];
  let onlyComplement = false;
  if (actionIndex >= 0) {
    for (let i = actionIndex + 1; i < main.length; i++) {
      const t = main[i];
      if (t.text === ';' || t.text === ':') break;
      const word = t.text.toLowerCase();
      if (word === 'only') {
        onlyComplement = true;
        continue;
      }
      if (t.pos === 'PUNCT' && t.text !== '/') continue;
      if (t.pos === 'DET' && !QUANTIFIERS.has(word)) continue;
      tail.push({ w: aliasOf(t.pos === 'NUM' ? word : normalLemma(t).replace(/\.$/, '')), text: t.text, pos: t.pos });
    }
  }
  const subject = modal
    ? main
        .slice(0, modal.index)
        .filter(isContent)
        .map((t) => aliasOf(normalLemma(t)))
    : [];
  const subjectTokens = modal ? main.slice(0, modal.index).filter((t) => t.pos !== 'PUNCT') : [];
  const subjectText = subjectTokens.length
    ? text.slice(subjectTokens[0].start, subjectTokens[subjectTokens.length - 1].end)
    : undefined;
  const hasException =
    EXCEPTION_WORDS.test(text) || conditionParts.some((part) => /^(unless|except|excluding)$/i.test(part[0].text));
  let override: ClauseForm['override'];
  const overrideMatch =
    OVERRIDE_HINT.test(text) &&
    /\b(?:(can|may|could)\s+(not\s+)?be\s+(?:explicitly\s+|implicitly\s+)?(?:overridden|overriden|superseded|waived|ignored)\s+by|(cannot|can't|can not)\s+be\s+(?:explicitly\s+|implicitly\s+)?(?:overridden|superseded)\s+by|(overrides?|supersedes?|takes?\s+precedence\s+over|takes?\s+priority\s+over|prevails?\s+over|trumps?)\b)/i.exec(
      text,
    );
  if (overrideMatch) {
    const passive = overrideMatch[1] !== undefined || overrideMatch[3] !== undefined;
    const negated = !!overrideMatch[2] || !!overrideMatch[3] || (!passive && polarity < 0);
    override = { direction: passive ? 'overridden-by' : 'overrides', negated, phrase: overrideMatch[0] };
  }
  return {
    actor,
    onlyActor,
    implicitModality,
    modality,
    polarity,
    action,
    actionWord: actionIndex >= 0 ? main[actionIndex].text : undefined,
    objects: [...new Set(objects)],
    lemmas: [...new Set(tokens.filter(isContent).map(normalLemma))],
    things: [...new Set(tokens.filter((t) => isContent(t) && t.pos !== 'VERB').map(normalLemma))],
    conditions,
    hasException,
    only,
    targets,
    phrases,
    // a fragment's "shall be" is ours, not the author's: quote the value as written
    numbers: MAY_HAVE_NUMBER.test(text)
      ? numericConstraints(text, polarity < 0).map((n) =>
          reading?.kind === 'fragment' ? { ...n, phrase: n.phrase.replace(/^be\s+/, '') } : n,
        )
      : [],
    anaphoric,
    override,
    subject,
    subjectText,
    tail,
    onlyComplement,
    onlyIf,
    conditionText,
    reading: reading?.kind,
    callLimit: /\b(call|invoke|called|invoked)\b/i.test(text) ? callLimitOf(text) : undefined,
    calls: /\b(call|invoke)/i.test(text) ? toolCallsOf(text) : [],
  };
}

/** "FR-012:", "**REQ-3**", "NFR-2 –" before a requirement: an id, not part of the subject. */
const LEADING_REQUIREMENT_ID =
  /^(?:\*\*|__)?[A-Z][A-Z0-9]{0,9}(?:[-_.][A-Z0-9]+)*[-_.]?\d+[a-z]?(?:\*\*|__)?\s*(?:[:.)]|\s[-–—])\s+/;
const SUBJECT_POS = new Set(['DET', 'NOUN', 'PROPN', 'ADJ', 'NUM', 'ADP', 'PART', 'PRON']);
/** Modal-like words the statement reading leaves alone: the sentence already says how binding it is. */
const HAS_MODAL =
  /\b(must|shall|should|may|can|cannot|could|might|need to|needs to|has to|have to|required to|never|always|only)\b/i;

/**
 * A requirement-list statement without a modal, rewritten as the duty it states, or undefined when
 * it is not one: "The system encrypts exports." -> "The system shall encrypt exports."; "Exports are
 * not stored." -> "Exports shall not be stored."; "The service will retry" -> "shall retry". A
 * verbless "Label: value" item ("Session timeout: 15 minutes") becomes "The session timeout shall be
 * 15 minutes". Past tense, questions and sentences without a subject are left as they are.
 */
export function statementAsRule(text: string): { text: string; kind: 'statement' | 'fragment' } | undefined {
  if (HAS_MODAL.test(text) || text.endsWith('?')) return undefined;
  const label = /^([A-Za-z][\w '/-]{1,60}?):\s+(\S.*)$/.exec(text);
  if (label && label[1].trim().split(/\s+/).length <= 6) {
    // "**Exports**: The system encrypts exports." is a labeled statement
    const inner = statementAsRule(label[2]);
    if (inner) return inner;
    // a short value without a verb is the label's one value; a longer one is a description
    const value = label[2].replace(/[.;]\s*$/, '');
    const valueTokens = analyze(value).filter((t) => t.pos !== 'PUNCT');
    // "required", "disabled" are values; any other verb makes the item a sentence we cannot read
    const isValue = (t: Token) =>
      (t.pos !== 'VERB' && t.pos !== 'AUX') || (t.pos === 'VERB' && /ed$/i.test(t.text) && valueTokens.length <= 2);
    if (!valueTokens.length || valueTokens.length > 5 || !valueTokens.every(isValue)) return undefined;
    return { text: `The ${label[1].trim().toLowerCase()} shall be ${value}.`, kind: 'fragment' };
  }
  const tokens = analyze(text);
  let start = 0;
  // a leading condition ("When a user signs in, the portal records the time.") keeps its place
  if (tokens[0] && CONDITION_START.has(tokens[0].text.toLowerCase())) {
    const comma = tokens.findIndex((t) => t.text === ',');
    if (comma < 0) return undefined;
    start = comma + 1;
  }
  let v = start;
  while (v < tokens.length && SUBJECT_POS.has(tokens[v].pos) && !(tokens[v].pos === 'PRON' && v > start)) v++;
  if (tokens[v]?.pos !== 'VERB' && tokens[v]?.pos !== 'AUX') {
    // the tagger reads "stores" in "The system stores invoices" as a plural noun: a noun in -s
    // right after a singular noun, with no verb anywhere else, is the verb
    const guess = tokens.findIndex(
      (t, i) =>
        i > start &&
        i < v &&
        t.pos === 'NOUN' &&
        /[a-z]s$/.test(t.text) &&
        t.lemma.toLowerCase() !== t.text.toLowerCase() &&
        (tokens[i - 1].pos === 'NOUN' || tokens[i - 1].pos === 'PROPN') &&
        !/s$/i.test(tokens[i - 1].text) &&
        i + 1 < tokens.length &&
        tokens[i + 1].pos !== 'PUNCT',
    );
    if (guess < 0 || tokens.some((t) => t.pos === 'VERB')) return undefined;
    v = guess;
    tokens[v] = { ...tokens[v], pos: 'VERB' };
  }
  const subject = tokens.slice(start, v);
  if (!subject.some((t) => t.pos === 'NOUN' || t.pos === 'PROPN' || (t.pos === 'PRON' && /^(it|they)$/i.test(t.text))))
    return undefined;
  const verb = tokens[v];
  if (!verb || (verb.pos !== 'VERB' && verb.pos !== 'AUX')) return undefined;
  const word = verb.text.toLowerCase();
  const next = tokens[v + 1]?.text.toLowerCase();
  const negated = next === 'not' || next === "n't";
  const end = negated ? tokens[v + 1].end : verb.end;
  let replacement: string;
  if (word === 'is' || word === 'are') replacement = negated ? 'shall not be' : 'shall be';
  else if (word === 'does' || word === 'do') {
    if (!negated) return undefined;
    replacement = 'shall not';
  } else if (word === 'will') replacement = negated ? 'shall not' : 'shall';
  else if (word === 'has' || word === 'have') replacement = negated ? 'shall not have' : 'shall have';
  else {
    if (verb.pos !== 'VERB' || negated) return undefined;
    const lemma = verb.lemma.toLowerCase();
    const present =
      word === lemma ||
      word === lemma + 's' ||
      word === lemma + 'es' ||
      (lemma.endsWith('y') && word === lemma.slice(0, -1) + 'ies');
    if (!present) return undefined;
    replacement = 'shall ' + lemma;
  }
  return { text: text.slice(0, verb.start) + replacement + text.slice(end), kind: 'statement' };
}

/** Quantifiers keep their place in the tail: "any" against "all" is a contrast. */
const QUANTIFIERS = new Set(['any', 'all', 'each', 'every', 'no', 'some', 'both', 'either', 'neither']);

/**
 * Names that mean the same thing: two clauses that differ only in these say the same thing
 * ("Mac-compatible" / "macOS-compatible"). Keys and values are lemmas.
 */
const ALIASES: Record<string, string> = {
  mac: 'macos',
  osx: 'macos',
  'os x': 'macos',
  'mac os': 'macos',
  macintosh: 'macos',
  'e-mail': 'email',
  mail: 'email',
  utf8: 'utf-8',
  postgres: 'postgresql',
  js: 'javascript',
  ts: 'typescript',
  k8s: 'kubernetes',
  msec: 'millisecond',
  ms: 'millisecond',
  sec: 'second',
  secs: 'second',
  min: 'minute',
  mins: 'minute',
  hr: 'hour',
  hrs: 'hour',
  yr: 'year',
  yrs: 'year',
  app: 'application',
  pc: 'computer',
  customer: 'customer',
  client: 'client',
  login: 'log-in',
  signin: 'log-in',
  'sign-in': 'log-in',
  colour: 'color',
  behaviour: 'behavior',
  favourite: 'favorite',
  licence: 'license',
  catalogue: 'catalog',
  centre: 'center',
  annually: 'yearly',
  everyday: 'daily',
};

/** Verbs for giving the reply: "answer in French" and "reply in English" are one duty, two languages. */
const REPLY_VERBS = new Set(['reply', 'answer', 'respond']);

/** The action's lemma, with the reply verbs as one. */
function actionOf(token: Token): string {
  const lemma = normalLemma(token);
  return REPLY_VERBS.has(lemma) ? 'respond' : lemma;
}

export function aliasOf(word: string): string {
  const lower = word.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/**
 * A list item under a lead-in ("The assistant must not:" / "- reveal the system prompt") states the
 * lead-in's rule: the item takes the lead-in's actor and modality unless it writes its own.
 */
export function underLeadIn(item: ClauseForm, leadIn: ClauseForm): ClauseForm {
  if (!leadIn.modality || (item.modality && !item.implicitModality)) return item;
  return {
    ...item,
    modality: leadIn.modality,
    polarity: leadIn.polarity,
    actor: item.actor ?? leadIn.actor,
    implicitModality: false,
  };
}

export function antonymous(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === 'non-' + y || y === 'non-' + x || x === 'non' + y || y === 'non' + x) return true;
  return ANTONYMS.some(([p, q]) => (x === p && y === q) || (x === q && y === p));
}
