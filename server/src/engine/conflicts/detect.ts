import { contrastOf, type Contrast } from './contrast';
import { antonymous, type ClauseForm, type Modality } from './form';
import { callsOverLimit, exceptionGap } from './instructions';
import { incompatible } from './numbers';

export const OPPOSITE_OBLIGATION = 'conflict-opposite-obligation';
export const EXCLUSIVE_CHOICE = 'conflict-exclusive-choice';
export const NUMERIC_CONFLICT = 'conflict-numeric';
export const AUTHORITY_INVERSION = 'conflict-authority-inversion';
export const NEAR_DUPLICATE = 'near-duplicate-clause';

/** What a pair detector needs to know about one clause besides its form. */
export interface ScopedForm {
  form: ClauseForm;
  authority?: string;
  tags: string[];
}

export interface PairVerdict {
  ruleId: string;
  /** Why the two collide, from the first clause's side ("this clause says ..."). */
  reason: string;
  /** The same from the second clause's side, when the wording is not symmetric. */
  reasonForSecond?: string;
}

const POSITIVE_DUTY: Modality[] = ['must', 'always', 'should', 'only'];
const STRONG_PROHIBITION: Modality[] = ['must not', 'never'];
const PROHIBITION: Modality[] = ['must not', 'never', 'should not'];

function opposed(a?: Modality, b?: Modality): boolean {
  if (!a || !b) return false;
  const pair = (x: Modality, y: Modality) =>
    (POSITIVE_DUTY.includes(x) && PROHIBITION.includes(y)) || (x === 'may' && STRONG_PROHIBITION.includes(y));
  return pair(a, b) || pair(b, a);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 1;
  const set = new Set(a);
  let shared = 0;
  for (const x of new Set(b)) if (set.has(x)) shared++;
  return shared / (set.size + new Set(b).size - shared);
}

/** Share of content lemmas two clauses must have in common to count as the same rule reworded. */
const NEAR_DUPLICATE_SIMILARITY = 0.6;

/** Actions that undo each other: "must enable X" and "must disable X" cannot both be obeyed. */
const OPPOSITE_ACTIONS: [string, string][] = [
  ['enable', 'disable'],
  ['allow', 'block'],
  ['allow', 'deny'],
  ['allow', 'prohibit'],
  ['allow', 'forbid'],
  ['permit', 'forbid'],
  ['permit', 'deny'],
  ['accept', 'reject'],
  ['approve', 'reject'],
  ['show', 'hide'],
  ['display', 'hide'],
  ['include', 'exclude'],
  ['lock', 'unlock'],
  ['grant', 'revoke'],
  ['grant', 'deny'],
  ['retain', 'delete'],
  ['keep', 'delete'],
  ['store', 'discard'],
  ['encrypt', 'unencrypted'],
  ['start', 'stop'],
];
const RETAIN = new Set(['retain', 'keep', 'store', 'preserve', 'hold', 'archive']);
const DISCARD = new Set(['delete', 'remove', 'purge', 'erase', 'destroy', 'discard']);

const OPPOSITE_OF = new Map<string, Set<string>>();
for (const [x, y] of OPPOSITE_ACTIONS) {
  if (!OPPOSITE_OF.has(x)) OPPOSITE_OF.set(x, new Set());
  if (!OPPOSITE_OF.has(y)) OPPOSITE_OF.set(y, new Set());
  OPPOSITE_OF.get(x)!.add(y);
  OPPOSITE_OF.get(y)!.add(x);
}

function oppositeActions(a?: string, b?: string): boolean {
  return !!a && !!b && !!OPPOSITE_OF.get(a)?.has(b);
}

/** Same action, opposite actions, or keeping against deleting: the pair can collide on what is done. */
function relatedActions(a?: string, b?: string): boolean {
  if (!a || !b) return false;
  return a === b || oppositeActions(a, b) || (RETAIN.has(a) && DISCARD.has(b)) || (DISCARD.has(a) && RETAIN.has(b));
}

const lemmaSets = new WeakMap<ClauseForm, Set<string>>();
function lemmaSet(form: ClauseForm): Set<string> {
  let set = lemmaSets.get(form);
  if (!set) lemmaSets.set(form, (set = new Set(form.lemmas)));
  return set;
}

function lemmaSimilarity(a: ClauseForm, b: ClauseForm): number {
  const x = lemmaSet(a);
  const y = lemmaSet(b);
  let shared = 0;
  for (const lemma of x) if (y.has(lemma)) shared++;
  const union = x.size + y.size - shared;
  return union ? shared / union : 1;
}

const isNumber = (lemma: string) => /^\d/.test(lemma);

/**
 * Both clauses apply to the same situation: same actor (or one unnamed), same tags, same authority
 * (different authorities are settled by the chain of command, not a silent conflict), and the
 * same conditions. A clause with "unless"/"except"/"however" narrows a rule: a rule and its exception.
 */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSituation(a: ScopedForm, b: ScopedForm): boolean {
  if (a.form.actor && b.form.actor && a.form.actor !== b.form.actor) return false;
  if (!sameList(a.tags, b.tags)) return false;
  if (a.form.hasException || b.form.hasException) return false;
  if (a.form.anaphoric || b.form.anaphoric) return false;
  return sameList(a.form.conditions, b.form.conditions);
}

function words(form: ClauseForm): string[] {
  return form.lemmas.filter((x) => !isNumber(x));
}

function numbersOf(form: ClauseForm): string {
  return form.lemmas.filter(isNumber).sort().join(' ');
}

export function comparePair(a: ScopedForm, b: ScopedForm): PairVerdict | undefined {
  const fa = a.form;
  const fb = b.form;
  // "Region: EU" under Staging and "Region: US" under Production set two contexts, not one value
  // twice: a verbless "Label: value" item is compared only with another of its own section
  if (
    (fa.reading === 'fragment' || fb.reading === 'fragment') &&
    (fa.fragmentSection === undefined || fa.fragmentSection !== fb.fragmentSection)
  )
    return undefined;
  // most candidates share a word or two and nothing else: reject them before any set is built
  const bothNumeric = fa.numbers.length > 0 && fb.numbers.length > 0;
  const mayDuplicate =
    fa.modality === fb.modality &&
    !fa.anaphoric &&
    !fb.anaphoric &&
    Math.min(fa.lemmas.length, fb.lemmas.length) >=
      NEAR_DUPLICATE_SIMILARITY * Math.max(fa.lemmas.length, fb.lemmas.length);
  const callLimited = !!(fa.callLimit || fb.callLimit);
  if (
    !bothNumeric &&
    !mayDuplicate &&
    !callLimited &&
    !relatedActions(fa.action, fb.action) &&
    !fa.onlyActor &&
    !fb.onlyActor
  )
    return undefined;
  if (sameList(a.tags, b.tags) && (!a.authority || !b.authority || a.authority === b.authority)) {
    const over = callLimited ? (callClash(fa, fb) ?? flip(callClash(fb, fa))) : undefined;
    if (over) return over;
    const gap = exceptionGap(fa, fb) ?? exceptionGap(fb, fa);
    if (gap) {
      const banFirst = fa.polarity < 0;
      return {
        ruleId: OPPOSITE_OBLIGATION,
        reason: banFirst ? gap.fromBan : gap.fromDuty,
        reasonForSecond: banFirst ? gap.fromDuty : gap.fromBan,
      };
    }
  }
  const situation = sameSituation(a, b);
  if (situation && fa.action && fa.action === fb.action && opposed(fa.modality, fb.modality)) {
    const objectsA = fa.objects.filter((x) => !isNumber(x));
    const objectsB = fb.objects.filter((x) => !isNumber(x));
    // a ban covers every narrower duty: "must not encrypt archived invoices" against "must encrypt
    // archived invoices in region eu"
    const [banned, required] = fa.polarity < 0 ? [objectsA, objectsB] : [objectsB, objectsA];
    const covered = fa.action !== 'be' && banned.length >= 2 && banned.every((x) => required.includes(x));
    const similar =
      covered ||
      (fa.action === 'be'
        ? objectsA.length > 0 && jaccard(objectsA, objectsB) >= 0.75
        : jaccard(objectsA, objectsB) >= 0.6);
    if (similar) {
      const says = (x?: Modality, y?: Modality) =>
        `this clause says "${x}" and the other "${y}" about the same action in the same scope, and neither makes an exception for the other`;
      return {
        ruleId: OPPOSITE_OBLIGATION,
        reason: says(fa.modality, fb.modality),
        reasonForSecond: says(fb.modality, fa.modality),
      };
    }
  }
  const actionsOpposed = oppositeActions(fa.action, fb.action);
  // written duties only: "Disable all rules: ..." and "Enable all rules: ..." are how-to steps
  if (situation && actionsOpposed && strongDuty(fa) && strongDuty(fb) && !fa.implicitModality && !fb.implicitModality) {
    const objectsA = fa.objects.filter((x) => !isNumber(x));
    const objectsB = fb.objects.filter((x) => !isNumber(x));
    if (objectsA.length && jaccard(objectsA, objectsB) >= 0.6 && !(fa.numbers.length && fb.numbers.length)) {
      const says = (x?: string, y?: string) =>
        `this clause requires "${x}" and the other "${y}" of the same thing, in the same scope and with no exception linking them`;
      return {
        ruleId: OPPOSITE_OBLIGATION,
        reason: says(fa.actionWord, fb.actionWord),
        reasonForSecond: says(fb.actionWord, fa.actionWord),
      };
    }
  }
  if (
    situation &&
    ((RETAIN.has(fa.action ?? '') && DISCARD.has(fb.action ?? '')) ||
      (DISCARD.has(fa.action ?? '') && RETAIN.has(fb.action ?? '')))
  ) {
    const retention = retentionClash(fa, fb) ?? retentionClash(fb, fa);
    if (retention) return { ruleId: NUMERIC_CONFLICT, reason: retention };
  }
  if (situation && fa.action && fa.action === fb.action && fa.polarity > 0 && fb.polarity > 0) {
    const choice = exclusiveOnly(fa, fb) ?? exclusiveOnly(fb, fa);
    if (choice) return { ruleId: EXCLUSIVE_CHOICE, reason: choice };
    for (const pa of fa.phrases) {
      for (const pb of fb.phrases) {
        if (pa.head !== pb.head) continue;
        const clash = pa.modifiers.find((m) => pb.modifiers.some((n) => antonymous(m, n)));
        const requires = (x: string, y: string) =>
          `both require "${fa.action}" with a ${pa.head}, but this clause requires "${x}" and the other "${y}"; both cannot hold`;
        if (clash && strongDuty(fa) && strongDuty(fb))
          return {
            ruleId: EXCLUSIVE_CHOICE,
            reason: requires(pa.text, pb.text),
            reasonForSecond: requires(pb.text, pa.text),
          };
      }
    }
  }
  const onlyWho = exclusiveActor(a, b) ?? exclusiveActor(b, a);
  if (onlyWho) return { ruleId: EXCLUSIVE_CHOICE, reason: onlyWho };
  if (situation && fa.numbers.length && fb.numbers.length) {
    const wordsB = words(fb);
    const shared = words(fa).filter((x) => wordsB.includes(x));
    // limits on two different actions ("kept for 30 days", "deleted after 90 days") are not one limit
    const differentActions =
      !!fa.action && !!fb.action && fa.action !== fb.action && fa.action !== 'be' && fb.action !== 'be';
    // "A summary must contain at most 100 words" and "An abstract must contain at least 200 words"
    // share the verb and the unit, not the thing limited: neither subject is named in the other
    // clause (a passive "The welcome email must be sent" names its thing as the subject; two actors
    // are compared by sameSituation, with synonyms: "the platform" is "the system")
    const otherSubjects =
      !(fa.actor && fb.actor) &&
      fa.subject.length > 0 &&
      fb.subject.length > 0 &&
      !fa.subject.some((x) => fb.lemmas.includes(x)) &&
      !fb.subject.some((x) => fa.lemmas.includes(x));
    const about =
      !otherSubjects &&
      (fa.action && fa.action === fb.action ? shared.length >= 2 : !differentActions && shared.length >= 3);
    if (about) {
      for (const na of fa.numbers) {
        for (const nb of fb.numbers) {
          const what =
            na.dimension === 'time' ? 'time limit' : na.dimension === 'bytes' ? 'size' : `count of ${na.dimension}s`;
          if (incompatible(na, nb))
            return {
              ruleId: NUMERIC_CONFLICT,
              reason: `"${na.phrase}" here and "${nb.phrase}" there cannot both hold for the same ${what}`,
              reasonForSecond: `"${nb.phrase}" here and "${na.phrase}" there cannot both hold for the same ${what}`,
            };
        }
      }
    }
  }
  if (sameList(a.tags, b.tags)) {
    const contrast = contrastOf(fa, fb);
    if (contrast) return contrastVerdict(contrast);
  }
  // "at most 5" and "at least 2" share every word but are two different limits, not a repetition
  if (
    mayDuplicate &&
    !oppositeActions(fa.action, fb.action) &&
    lemmaSimilarity(fa, fb) >= NEAR_DUPLICATE_SIMILARITY &&
    words(fa).length >= 5 &&
    words(fb).length >= 5 &&
    numbersOf(fa) === numbersOf(fb) &&
    fa.polarity === fb.polarity &&
    sameList(a.tags, b.tags)
  ) {
    // "an async iterator" vs "a sync iterator", "the payload option" vs "the signature option": the
    // same sentence frame about two different things is a parallel rule, not a reworded one
    const onlyA = fa.things.filter((x) => !fb.lemmas.includes(x));
    const onlyB = fb.things.filter((x) => !fa.lemmas.includes(x));
    const swappedA = fa.lemmas.filter((x) => !fb.lemmas.includes(x));
    const swappedB = fb.lemmas.filter((x) => !fa.lemmas.includes(x));
    if ((onlyA.length && onlyB.length) || (swappedA.length === 1 && swappedB.length === 1)) return undefined;
    return {
      ruleId: NEAR_DUPLICATE,
      reason:
        'they state the same rule in different words; if one is edited the other will drift. Keep one and reference it',
    };
  }
  return undefined;
}

/** "Only admins may delete projects" and "Members may delete projects". */
function exclusiveActor(withOnly: ScopedForm, other: ScopedForm): string | undefined {
  const only = withOnly.form;
  const form = other.form;
  if (
    !only.onlyActor ||
    !form.actor ||
    form.actor === only.onlyActor ||
    form.polarity <= 0 ||
    !form.action ||
    form.action !== only.action
  )
    return undefined;
  if (
    withOnly.tags.join(',') !== other.tags.join(',') ||
    only.hasException ||
    form.hasException ||
    only.conditions.join('|') !== form.conditions.join('|')
  )
    return undefined;
  if (withOnly.authority && other.authority && withOnly.authority !== other.authority) return undefined;
  const objects = (f: ClauseForm) => f.objects.filter((x) => !isNumber(x));
  if (!objects(only).length || jaccard(objects(only), objects(form)) < 0.6) return undefined;
  // quoted as written ("Only admins", "Members"), never as lemmas
  const verb = only.actionWord ?? only.action;
  return `"${only.subjectText ?? only.onlyActor}" leaves "${verb}" to them alone, and the other lets "${form.subjectText ?? form.actor}" ${verb === only.action ? verb : 'do'} it too`;
}

/**
 * "Records must be kept for 7 years" against "Records must be deleted after 5 years": keeping for
 * at least N and deleting by M collide when M < N.
 */
function retentionClash(keep: ClauseForm, discard: ClauseForm): string | undefined {
  if (
    !RETAIN.has(keep.action ?? '') ||
    !DISCARD.has(discard.action ?? '') ||
    keep.polarity <= 0 ||
    discard.polarity <= 0
  )
    return undefined;
  const things = (form: ClauseForm) => form.objects.filter((x) => !isNumber(x) && !TIME_WORDS.has(x));
  if (!things(keep).some((x) => things(discard).includes(x))) return undefined;
  for (const kept of keep.numbers) {
    if (kept.dimension !== 'time') continue;
    const keptAtLeast = Number.isFinite(kept.min) ? kept.min : kept.max;
    for (const gone of discard.numbers) {
      if (gone.dimension !== 'time') continue;
      const goneBy = Number.isFinite(gone.max) ? gone.max : gone.min;
      if (goneBy < keptAtLeast) return `keeping it "${kept.phrase}" and deleting it "${gone.phrase}" cannot both hold`;
    }
  }
  return undefined;
}

const TIME_WORDS = new Set(['second', 'minute', 'hour', 'day', 'week', 'month', 'year']);

function strongDuty(form: ClauseForm): boolean {
  return (
    form.modality === 'must' || form.modality === 'always' || form.modality === 'should' || form.modality === 'only'
  );
}

/** "only through A" in one clause and "through B" for the same action in the other. */
function exclusiveOnly(withOnly: ClauseForm, other: ClauseForm): string | undefined {
  const only = withOnly.only;
  if (!only) return undefined;
  for (const target of other.targets) {
    if (target.preposition !== only.preposition) continue;
    if (target.target.some((x) => only.target.includes(x))) continue;
    const rest = (form: ClauseForm, drop: string[]) => form.objects.filter((x) => !drop.includes(x) && !isNumber(x));
    if (jaccard(rest(withOnly, only.target), rest(other, target.target)) < 0.5) continue;
    return `one allows "${withOnly.action}" ${only.phrase}, the other ${target.phrase}; the "only" excludes the second`;
  }
  return undefined;
}

const CONTRAST_RULE: Record<Contrast['kind'], string> = {
  number: NUMERIC_CONFLICT,
  frequency: NUMERIC_CONFLICT,
  antonym: EXCLUSIVE_CHOICE,
  only: EXCLUSIVE_CHOICE,
  'single-value': EXCLUSIVE_CHOICE,
  'only-if': EXCLUSIVE_CHOICE,
  scope: OPPOSITE_OBLIGATION,
};

/** The verdict for a minimal pair, quoting the words the two clauses differ in. */
function contrastVerdict(contrast: Contrast): PairVerdict {
  const says = (x: string, y: string): string => {
    switch (contrast.kind) {
      case 'number':
        return `the same duty with "${x}" here and "${y}" there: both cannot be the requirement`;
      case 'frequency':
        return `the same duty "${x}" here and "${y}" there: it has one schedule`;
      case 'antonym':
        return `the same duty with "${x}" here and "${y}" there, which are opposites`;
      case 'only':
        return `the same duty with "${x}" here and "${y}" there, and the "only" excludes the other value`;
      case 'single-value':
        return `the same duty with "${x}" here and "${y}" there, where only one value can apply`;
      case 'only-if':
        return `the same duty ${x === 'always' ? 'without a condition' : `"${x}"`} here and ${y === 'always' ? 'without a condition' : `"${y}"`} there: the "only" excludes the unconditional duty`;
      case 'scope':
        return `one clause requires and the other forbids the same action, ${x === 'always' ? 'this one without a condition' : `this one "${x}"`} and ${y === 'always' ? 'the other without a condition' : `the other "${y}"`}, so they collide there`;
    }
  };
  return {
    ruleId: CONTRAST_RULE[contrast.kind],
    reason: says(contrast.first, contrast.second),
    reasonForSecond: says(contrast.second, contrast.first),
  };
}

/** The verdict with its two sides swapped. */
function flip(verdict: PairVerdict | undefined): PairVerdict | undefined {
  return verdict && { ...verdict, reason: verdict.reasonForSecond ?? verdict.reason, reasonForSecond: verdict.reason };
}

/**
 * "Each tool may be called once per order" against a step that calls the refund tool three times,
 * or against the step of one procedure that calls a tool for the second time.
 */
function callClash(limited: ClauseForm, other: ClauseForm): PairVerdict | undefined {
  const limit = limited.callLimit;
  if (!limit || other.callLimit) return undefined;
  const within = callsOverLimit(limit, other.calls);
  if (within) {
    const times = `${within.count} times`;
    return {
      ruleId: NUMERIC_CONFLICT,
      reason: `this clause allows "${limit.phrase}", and the other calls ${within.written} ${times}`,
      reasonForSecond: `this clause calls ${within.written} ${times}, and the other allows "${limit.phrase}"`,
    };
  }
  const step = other.procedureCalls?.find(
    (call) => (limit.tool === '*' || limit.tool === call.tool) && call.count === limit.max + 1,
  );
  if (!step) return undefined;
  return {
    ruleId: NUMERIC_CONFLICT,
    reason: `this clause allows "${limit.phrase}", and the other is call number ${step.count} of ${step.written} in the same list of steps`,
    reasonForSecond: `this step is call number ${step.count} of ${step.written} in its list of steps, and the other clause allows "${limit.phrase}"`,
  };
}
