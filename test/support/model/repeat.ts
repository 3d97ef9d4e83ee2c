// What the repeat tests of several tiers share: the spec, the model's scripted answers.
import { candidateOf, isGraderBody, lastTurn, verdictJson, type ChatBody } from '../mockOpenAI';

/**
 * A model that is right most of the time: every third answer to the moon question agrees that it
 * is cheese (a sampled model at temperature > 0). The grader fails "cheese".
 */
export function sometimesWrong() {
  const asked = new Map<string, number>();
  return (body: ChatBody) => {
    if (isGraderBody(body)) return { kind: 'answer' as const, content: verdictJson(!/cheese/.test(candidateOf(body))) };
    const turn = lastTurn(body);
    const n = (asked.get(turn) ?? 0) + 1;
    asked.set(turn, n);
    return { kind: 'answer' as const, content: /moon/.test(turn) && n % 3 === 0 ? 'Yes, cheese.' : 'No, rock.' };
  };
}
