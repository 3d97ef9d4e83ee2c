import type { Rule } from './types';

/** Roles whose message can be the prompt an answer responds to. */
const INPUT_ROLES = new Set(['user', 'developer', 'system', 'tool']);

export const emptyExample: Rule = {
  id: 'empty-example',
  description: 'An example has no transcript, no messages, or judged answers with no prompt before them.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, report }) {
    for (const example of doc.examples) {
      const name = example.title ? `Example "${example.title}"` : 'This example';
      const transcript = example.transcript;
      if (!transcript) {
        report({
          span: example.titleSpan,
          message: `${name} has no transcript: follow the title with a ~~~xml block holding a <user> (or <developer>) message and the <assistant> answer.`,
        });
      } else if (!transcript.messages.length) {
        report({
          span: example.titleSpan,
          message: `${name} has an empty transcript: write at least the <user> (or <developer>) message in its ~~~xml block.`,
        });
      } else if (
        !transcript.messages.some((message) => INPUT_ROLES.has(message.role)) &&
        transcript.messages.some((message) => message.label)
      ) {
        // Developer-only prompts are real test cases (programmatic use); an unlabelled assistant-only
        // transcript illustrates the format. Labelled answers with nothing to answer cannot be tested.
        report({
          span: example.titleSpan,
          message: `${name} judges assistant answers but has no prompt: add the <user> (or <developer>) message they respond to.`,
        });
      }
    }
  },
};
