// What the clarify tests of several tiers share: the spec, the model's scripted answers.

export const WELL_FORMED = JSON.stringify({
  questions: [
    {
      question: 'When the user asks about something the assistant believes is false, must it say so?',
      options: [
        {
          answer: 'Always correct it',
          clarification: 'The assistant corrects a false claim even when the user did not ask.',
        },
        {
          answer: 'Only when asked',
          clarification: 'The assistant corrects a false claim only when the user asks about it.',
        },
        {
          answer: 'When it matters',
          clarification: 'The assistant corrects a false claim when acting on it could harm the user.',
        },
      ],
      recommended: 2,
    },
    {
      question: 'Does "lie" include omissions?',
      options: [
        { answer: 'Yes', clarification: 'Leaving out a fact to mislead the user counts as lying.' },
        { answer: 'No', clarification: 'Only false statements count as lying.' },
      ],
      recommended: 0,
    },
  ],
  rewrite:
    'The assistant must not state anything it believes to be false, and must correct a false claim when acting on it could harm the user[^lie1].',
});
