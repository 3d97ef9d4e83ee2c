import { describeDisagreement, graderDisagreements, GRADERS_DISAGREE_MESSAGE } from '../clauseTests/disagreement';
import { collectUnits } from '../clauseTests/collect';
import { storedClauseTestResults } from '../deep/store';
import type { Rule } from './types';

export const GRADERS_DISAGREE = 'graders-disagree';

/**
 * Reports what the last clause-test run showed about the wording: graders that split on the same
 * answer, or a grader that passed the spec's BAD reference or failed its GOOD one. Two careful
 * readers who disagree are evidence that the clause can be read two ways. Only results of the
 * clause as it is now count: an edit (a Clarify rewrite) drops the finding until the next run.
 */
export const gradersDisagree: Rule = {
  id: GRADERS_DISAGREE,
  description:
    'The grader models read a clause differently: they split on the same answer, or one passed a BAD or failed a GOOD reference (clause tests).',
  category: 'ambiguity',
  needsModel: true,
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    const results = storedClauseTestResults(workspace).inFile(doc.uri);
    if (!results.length) return;
    const units = new Map(collectUnits(doc, workspace).map((unit) => [unit.id, unit]));
    for (const result of results) {
      const unit = units.get(result.unitId);
      if (!unit || unit.hash !== result.unitHash) continue;
      const found = graderDisagreements(result);
      if (!found.length) continue;
      const start = doc.lines.offsetAt(unit.range.start);
      // a section unit is anchored on its first clause, so that Clarify has a sentence to rewrite
      const clause =
        unit.kind === 'clause'
          ? (doc.clauses.find((c) => c.span.start === start) ??
            doc.clauses.find((c) => start >= c.span.start && start < c.span.end))
          : doc.clauses.find((c) => !c.commentary && c.sectionId === unit.sectionId);
      const span = clause?.span ?? { start, end: doc.lines.offsetAt(unit.range.end) };
      report({
        span,
        message: `The ${GRADERS_DISAGREE_MESSAGE} (${unit.kind} ${unit.id}): ${found.map(describeDisagreement).join(' · ')}. Make the clause say what decides.`,
        related: found
          .map((d) => ({
            uri: d.uri,
            span: spanOf(workspace.get(d.uri), d.range),
            message: `${d.kind === 'split' ? 'the answer the graders split on' : `the ${d.label} reference`}: "${d.title}"`,
          }))
          .filter((r) => r.span !== undefined) as {
          uri: string;
          span: { start: number; end: number };
          message: string;
        }[],
      });
    }
  },
};

function spanOf(
  doc: ReturnType<import('../workspace').SpecWorkspace['get']>,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
) {
  if (!doc) return undefined;
  return { start: doc.lines.offsetAt(range.start), end: doc.lines.offsetAt(range.end) };
}
