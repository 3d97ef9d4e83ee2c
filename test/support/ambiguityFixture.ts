import { lastTurn, type Behaviour, type ChatBody } from './mockOpenAI';

/** Clauses of a small support spec: two the scripted model reads two ways, the others clear. */
export const REFUND = 'The assistant must refund an order that arrives damaged.';
export const EXTRA_CAUTION = 'The assistant must take extra caution with medical questions if possible.';
export const GREETING = 'The assistant must greet the customer by name in the first message.';
export const CREDIT = 'The assistant may offer goodwill credit to a customer whose order is late.';
export const ESCALATE = 'The assistant must hand the conversation to a human agent when the customer asks for one.';

export const AMBIGUITY_SPEC = `# Support assistant {#support}

## Definitions {#definitions}

**Goodwill credit**: Goodwill credit means a voucher worth 10% of the order, valid for one year.

## Refunds {#refunds}

${REFUND}

${CREDIT}

## Conversations {#conversations}

${GREETING}

${EXTRA_CAUTION}

${ESCALATE}
`;

export function ambiguousAnswer(
  readings: string[],
  divergingInput: string,
  question: string,
  kind: string,
  answers: { answer: string; clarification: string }[] = [],
): string {
  return JSON.stringify({ ambiguous: true, kind, readings, divergingInput, question, answers });
}

export const CLEAR_ANSWER = JSON.stringify({
  ambiguous: false,
  kind: '',
  readings: [],
  divergingInput: '',
  question: '',
  answers: [],
});

/** A model that knows this spec: the refund clause lacks a time limit, "extra caution" is vague; the rest is clear. */
export function readsClauses(body: ChatBody): Behaviour {
  const clause = /<clause>\n([\s\S]*?)\n<\/clause>/.exec(lastTurn(body))?.[1] ?? '';
  if (clause === REFUND) {
    return {
      kind: 'answer',
      content: ambiguousAnswer(
        ['Refund every damaged order.', 'Refund only orders reported within 30 days.'],
        'My parcel arrived broken two months ago.',
        'Is there a time limit for reporting damage?',
        'missing-condition',
        [
          { answer: 'No limit', clarification: 'This applies however long ago the order arrived.' },
          { answer: '30 days', clarification: 'This applies when the damage is reported within 30 days of delivery.' },
        ],
      ),
    };
  }
  if (clause === EXTRA_CAUTION) {
    return {
      kind: 'answer',
      content: ambiguousAnswer(
        ['Add a disclaimer to medical answers.', 'Decline medical questions and refer to a doctor.'],
        'What dose of ibuprofen can I take for a headache?',
        'What does extra caution require: a disclaimer, or declining?',
        'vague-term',
        [
          {
            answer: 'A disclaimer',
            clarification: 'Extra caution means answering with a reminder to consult a doctor.',
          },
          { answer: 'Decline', clarification: 'Extra caution means declining and referring the user to a doctor.' },
        ],
      ),
    };
  }
  // the conflict tier's pairs, when both tiers run against this server
  if (/Clause A:/.test(lastTurn(body)))
    return {
      kind: 'answer',
      content: JSON.stringify({ relation: 'neutral', reason: 'Different topics.', bothHoldWhen: '' }),
    };
  return { kind: 'answer', content: CLEAR_ANSWER };
}
