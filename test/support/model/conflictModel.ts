// What the conflictModel tests of several tiers share: the spec, the model's scripted answers.
import { lastTurn, type Behaviour, type ChatBody } from '../mockOpenAI';

export const KEY = 'sk-deep-secret-0123456789abcdef';

export const OFFER = 'The assistant must offer a refund when a customer asks for one.';

export const NEVER = 'The assistant must never discuss refunds with customers.';

export const POLITE = 'The assistant should offer a refund to a customer who asks for it politely.';

export const SPEC = `# Refunds {#refunds}

${OFFER}

${NEVER}

${POLITE}

# Greeting {#greeting}

The assistant must greet the customer by name.

The assistant should greet the customer warmly by name.
`;

/** A model that knows this spec: "offer a refund" against "never discuss refunds" contradict; the two refund offers entail; the rest is neutral. */
export function judge(body: ChatBody): Behaviour {
  const turn = lastTurn(body);
  const has = (text: string) => turn.includes(text);
  const answer = (relation: string, reason: string, bothHoldWhen = '') => ({
    kind: 'answer' as const,
    content: JSON.stringify({ relation, reason, bothHoldWhen }),
  });
  if (has(NEVER) && (has(OFFER) || has(POLITE)))
    return answer(
      'contradiction',
      'Offering a refund is discussing one.',
      'refunds are offered only by the billing page',
    );
  if (has(OFFER) && has(POLITE))
    return answer('entailment', 'Offering whenever asked covers offering when asked politely.');
  return answer('neutral', 'The clauses are about different things.');
}
