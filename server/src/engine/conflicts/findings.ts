import type { SpecDocument } from '../model';
import type { Finding } from '../rules/types';
import { isSuppressed, suppressions } from '../suppressions';
import type { SpecWorkspace } from '../workspace';
import { authorityInversions, authorityRank } from './authority';
import type { ConflictIndex, PairConflict } from './clauseIndex';
import { NEAR_DUPLICATE } from './detect';
import type { ClauseEntry } from './entries';
import { precedenceStated } from './precedence';
import { authorityInversion } from './rules/authorityInversion';
import { exclusiveChoice } from './rules/exclusiveChoice';
import { nearDuplicate } from './rules/nearDuplicate';
import { numericConflict } from './rules/numeric';
import { oppositeObligation } from './rules/oppositeObligation';
import { settledFinding, type ConflictRule } from './rules/rule';

/** Every pair rule, by id: each words its own findings and fixes. */
export const PAIR_RULES: readonly ConflictRule[] = [
  oppositeObligation,
  exclusiveChoice,
  numericConflict,
  nearDuplicate,
];
const RULE_BY_ID = new Map(PAIR_RULES.map((rule) => [rule.id, rule] as const));

/**
 * The conflict findings of every file, from the index's pairs: a pair the author settled (a
 * precedence sentence, or a reasoned exception comment on either clause) is dropped on both
 * sides; a pair the authority order settles is information on the overridden clause.
 */
export function buildFindings(index: ConflictIndex, workspace: SpecWorkspace): Map<string, Finding[]> {
  const result = new Map<string, Finding[]>();
  const push = (uri: string, finding: Finding) => {
    const list = result.get(uri);
    if (list) list.push(finding);
    else result.set(uri, [finding]);
  };
  const levels = index.resolvedConfig?.authorities ?? [];
  const excepted = exceptionReader();
  const pairs = index.allPairs();
  const template = templateSections(pairs);
  for (const pair of pairs) {
    const rule = RULE_BY_ID.get(pair.ruleId);
    if (!rule) continue;
    if (pair.ruleId === NEAR_DUPLICATE && !repeatWorthReporting(pair, template)) continue;
    if (pair.ruleId !== NEAR_DUPLICATE) {
      if (precedenceStated(pair.a, pair.b) || precedenceStated(pair.b, pair.a)) continue;
      if (excepted(pair.a, rule) || excepted(pair.b, rule)) continue;
      const [rankA, rankB] = [authorityRank(levels, pair.a.authority), authorityRank(levels, pair.b.authority)];
      if (rankA >= 0 && rankB >= 0 && rankA !== rankB) {
        const [higher, lower] = rankA < rankB ? [pair.a, pair.b] : [pair.b, pair.a];
        push(lower.uri, settledFinding(pair.ruleId, pair, lower, higher));
        continue;
      }
    } else if (pair.a.authority !== pair.b.authority) continue;
    push(pair.a.uri, rule.pairFinding(pair, pair.a, pair.b));
    push(pair.b.uri, rule.pairFinding(pair, pair.b, pair.a));
  }
  for (const inversion of authorityInversions(index.documents(), workspace, levels))
    push(inversion.entry.uri, authorityInversion.finding(inversion));
  return result;
}

const sectionKey = (entry: ClauseEntry) => `${entry.uri}#${entry.clause.sectionId ?? ''}`;
const sectionPairKey = (pair: PairConflict) => [sectionKey(pair.a), sectionKey(pair.b)].sort().join('\n');

/**
 * Pairs of sections that repeat each other's clauses more than once: "Tier 2" and "Tier 2 with host
 * tools", one field's constraints and the next field's. A document that applies one template
 * section by section states parallel rules on purpose; the author would not merge them.
 */
function templateSections(pairs: Iterable<PairConflict>): Set<string> {
  const counts = new Map<string, number>();
  for (const pair of pairs) {
    if (pair.ruleId !== NEAR_DUPLICATE || sectionKey(pair.a) === sectionKey(pair.b)) continue;
    const key = sectionPairKey(pair);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count >= 2).map(([key]) => key));
}

/** The line's text before the clause: "> " in a block quote, "- " in a list. */
function linePrefix(entry: ClauseEntry): string {
  const start = entry.clause.span.start;
  // at most the first 200 characters of the line: what a prefix test reads (a line can be megabytes)
  const lineStart = entry.doc.lines.lineStartOf(start);
  return entry.doc.text.slice(lineStart, Math.min(start, lineStart + 200));
}

/** The first item of a list: the sentence before it is not a list item, or sits in another section. */
function firstListItem(entry: ClauseEntry): boolean {
  if (!entry.clause.listItem) return false;
  const sentences = entry.doc.sentences;
  const previous = sentences[sentences.indexOf(entry.clause) - 1];
  return !previous || !previous.listItem || previous.sectionId !== entry.clause.sectionId;
}

/**
 * A reworded repeat a reader would merge, not a restatement that belongs where it is (issue 10:
 * 0 of 7 right on real specs): a checklist question, a Given/When/Then scenario that restates a
 * requirement, a block quote of earlier text, a list item that is a link, the same first step of
 * two procedures, the same rule for two actors, and clauses of template sections.
 */
function repeatWorthReporting(pair: PairConflict, template: Set<string>): boolean {
  for (const entry of [pair.a, pair.b]) {
    const plain = entry.clause.plain.trim();
    if (plain.endsWith('?') || /^\W*(given|scenario)\b/i.test(plain)) return false;
    // "It MUST also contain an id" is about whatever the sentence before named; "Next, call …" is
    // a step of a walkthrough, not a rule
    if (/^\W*(it|they|this|these|that|those|next|then|first|finally|now)\b/i.test(plain)) return false;
    // "As noted above, every resource object MUST …" repeats on purpose and says so
    if (
      /\bas (?:noted|stated|described|mentioned|explained|defined) (?:above|earlier|before|previously)\b/i.test(plain)
    )
      return false;
    if (/^\s*>/.test(linePrefix(entry)) || /^\s*\[[^\]]*\]\([^)]*\)/.test(entry.clause.text)) return false;
  }
  // the same sentence per context (an error description under each method) is not a reworded rule
  const bare = (entry: ClauseEntry) =>
    entry.clause.plain
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  if (bare(pair.a) === bare(pair.b)) return false;
  const [a, b] = [pair.a.form, pair.b.form];
  // one rule says when it applies and the other does not, or says another when: two cases
  if (a.conditions.join('|') !== b.conditions.join('|')) return false;
  // "meta-information about the error" under "Error Objects" against the same under "Link Objects":
  // a word only one clause has, named by its own section's title, makes it that section's rule
  if (sectionKey(pair.a) !== sectionKey(pair.b) && (contextWord(pair.a, pair.b) || contextWord(pair.b, pair.a)))
    return false;
  if (a.actor && b.actor && a.actor !== b.actor) return false;
  if (
    sectionKey(pair.a) !== sectionKey(pair.b) &&
    (template.has(sectionPairKey(pair)) || (firstListItem(pair.a) && firstListItem(pair.b)))
  )
    return false;
  return true;
}

/** The words of the titles of a clause's section and its parents, stripped of plural and possessive endings. */
function titleWords(entry: ClauseEntry): Set<string> {
  const words = new Set<string>();
  let section = entry.doc.sections.find((s) => s.id === entry.clause.sectionId);
  for (; section; section = section.parent) {
    for (const word of section.title.toLowerCase().split(/[^a-z0-9]+/))
      if (word.length >= 3) words.add(word.replace(/(?:'s|s)$/, ''));
  }
  return words;
}

/** A content word of `self` the other clause lacks, which self's section title names and the other's does not. */
function contextWord(self: ClauseEntry, other: ClauseEntry): boolean {
  const own = titleWords(self);
  const theirs = titleWords(other);
  const named = (titles: Set<string>, lemma: string) =>
    [...titles].some(
      (word) =>
        word === lemma || (lemma.length >= 4 && word.startsWith(lemma)) || (word.length >= 4 && lemma.startsWith(word)),
    );
  return self.form.lemmas.some(
    (lemma) => !other.form.lemmas.includes(lemma) && named(own, lemma) && !named(theirs, lemma),
  );
}

/** Whether a clause carries a reasoned exception comment for a rule; suppressions are read once per document. */
function exceptionReader(): (entry: ClauseEntry, rule: ConflictRule) => boolean {
  const cache = new Map<SpecDocument, ReturnType<typeof suppressions>>();
  return (entry, rule) => {
    let list = cache.get(entry.doc);
    if (!list) cache.set(entry.doc, (list = suppressions(entry.doc)));
    return isSuppressed(
      entry.doc,
      { ruleId: rule.id, severity: 'warning', span: entry.clause.span, message: '' },
      list,
      rule.suppressionNeedsReason,
    );
  };
}

export type { PairConflict };
