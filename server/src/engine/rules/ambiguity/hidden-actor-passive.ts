import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

const MODAL = new Set(['must', 'shall', 'should', 'will', 'may']);
/** Participles that describe a state, not an action someone performs ("is expected" aside). */
const STATE_PARTICIPLES = new Set([
  'based',
  'designed',
  'intended',
  'allowed',
  'permitted',
  'prohibited',
  'required',
  'supposed',
  'considered',
  'seen',
  'done',
  'able',
  'concerned',
  'involved',
  'related',
  'interested',
  'aware',
  'given',
  'tailored',
  'limited',
  'used',
]);

export const hiddenActorPassive = sentenceRule({
  id: 'hidden-actor-passive',
  description: 'A passive rule (must be logged, will be handled, is expected to) that does not say who must act.',
  // where a spec has one actor (the assistant), the passive rarely hides who acts: strict only
  // removed from both profiles: judged right on none of its corpus or Model Spec findings (issue 10).
  // Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  scope: { normativeOnly: true },
  detect(prose) {
    const found: LocalFinding[] = [];
    const tokens = prose.tokens.filter((t) => t.pos !== 'SPACE');
    for (let i = 0; i + 2 < tokens.length; i++) {
      const modal = tokens[i];
      if (!MODAL.has(modal.text.toLowerCase())) continue;
      let j = i + 1;
      if (tokens[j]?.text.toLowerCase() === 'not') j++;
      while (tokens[j]?.pos === 'ADV') j++;
      if (tokens[j]?.text.toLowerCase() !== 'be') continue;
      j++;
      while (tokens[j]?.pos === 'ADV') j++;
      const participle = tokens[j];
      if (
        !participle ||
        participle.pos !== 'VERB' ||
        !/(?:ed|en|wn|ne|lt|pt|nt|ld|ught)$/i.test(participle.text) ||
        participle.text.toLowerCase() === participle.lemma.toLowerCase()
      )
        continue;
      if (STATE_PARTICIPLES.has(participle.text.toLowerCase())) continue;
      // an agent named with "by" is not hidden
      const rest = tokens.slice(j + 1, j + 10);
      const stop = rest.findIndex((t) => t.pos === 'PUNCT' && t.text !== '-');
      if (rest.slice(0, stop < 0 ? undefined : stop).some((t) => t.text.toLowerCase() === 'by')) continue;
      found.push({
        start: modal.start,
        end: participle.end,
        message: `"${prose.masked.slice(modal.start, participle.end).replace(/\s+/g, ' ')}" does not say who must do this: name the actor ("the assistant must ...", "the developer must ...").`,
      });
    }
    for (const match of prose.masked.matchAll(/\b(?:is|are) expected to\b/gi)) {
      found.push({
        start: match.index!,
        end: match.index! + match[0].length,
        message: `"${match[0]}": expected by whom, and is it a requirement? Say who must act and use "must" or "should".`,
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
});
