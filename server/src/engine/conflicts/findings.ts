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
export const PAIR_RULES: readonly ConflictRule[] = [oppositeObligation, exclusiveChoice, numericConflict, nearDuplicate];
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
  for (const pair of index.allPairs()) {
    const rule = RULE_BY_ID.get(pair.ruleId);
    if (!rule) continue;
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
  for (const inversion of authorityInversions(index.documents(), workspace, levels)) push(inversion.entry.uri, authorityInversion.finding(inversion));
  return result;
}

/** Whether a clause carries a reasoned exception comment for a rule; suppressions are read once per document. */
function exceptionReader(): (entry: ClauseEntry, rule: ConflictRule) => boolean {
  const cache = new Map<SpecDocument, ReturnType<typeof suppressions>>();
  return (entry, rule) => {
    let list = cache.get(entry.doc);
    if (!list) cache.set(entry.doc, (list = suppressions(entry.doc)));
    return isSuppressed(entry.doc, { ruleId: rule.id, severity: 'warning', span: entry.clause.span, message: '' }, list, rule.suppressionNeedsReason);
  };
}

export type { PairConflict };
