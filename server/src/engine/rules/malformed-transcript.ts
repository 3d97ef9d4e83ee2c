import type { Rule } from './types';

export const malformedTranscript: Rule = {
  id: 'malformed-transcript',
  description:
    'An example transcript has an unclosed or unknown tag, a comparison without a GOOD answer, or a misplaced or unknown label.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, report }) {
    for (const example of doc.examples) {
      for (const problem of example.transcript?.problems ?? []) {
        report({ span: problem.span, message: `${problem.message} (example "${example.title}")` });
      }
    }
  },
};
