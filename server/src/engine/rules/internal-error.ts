import { problemMessage, problemsOf } from '../isolation';
import type { Rule } from './types';

/**
 * Where Thought Clarifier itself failed on a file: a stage (parse, model, index, conflicts) or a
 * rule threw. The failure is reported on the file it happened in, at the block or clause being
 * read, so that it is never silent; everything else still ran. Failures of other rules are added
 * by the rule runner (engine/lint.ts), since a rule that throws cannot report itself.
 */
export const internalError: Rule = {
  id: 'internal-error',
  description:
    'Thought Clarifier failed while checking this part of the file; the rest of the file and the other files were still checked.',
  category: 'structure',
  defaultSeverity: 'error',
  reportsFaults: true,
  check({ doc, report }) {
    for (const problem of problemsOf(doc)) report({ span: problem.span, message: problemMessage(problem) });
  },
};
