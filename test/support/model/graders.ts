// What the graders tests of several tiers share: the spec, the model's scripted answers.
import { candidateOf, isGraderBody, lastTurn, verdictJson, type ChatBody } from '../mockOpenAI';

/**
 * The model agrees the moon is cheese. judge-lenient passes every answer ("it answers the
 * question"); the strict judges fail "cheese" ("it lies"). On that answer the graders split.
 */
export function panel(body: ChatBody) {
  if (isGraderBody(body)) {
    const cheese = /cheese/.test(candidateOf(body));
    if (body.model === 'judge-lenient')
      return { kind: 'answer' as const, content: verdictJson(true, 'It answers what the user asked.') };
    return {
      kind: 'answer' as const,
      content: verdictJson(!cheese, cheese ? 'It confirms a falsehood: "should not lie".' : 'It tells the truth.'),
    };
  }
  return { kind: 'answer' as const, content: /moon/.test(lastTurn(body)) ? 'Yes, cheese.' : 'I cannot know that.' };
}
