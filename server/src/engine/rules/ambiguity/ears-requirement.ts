import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { proseSentences, reportLocal, sentenceDetector, type LocalFinding } from './prose';

/**
 * EARS (Easy Approach to Requirements Syntax) states one response of one system per requirement:
 * `[WHEN|WHILE|IF|WHERE <condition>] [THEN] THE <system> SHALL <response>`. Only documents that
 * write EARS are read (see conventions.ts); there its keywords are capitals.
 */
const SHALL = /\bSHALL(?:\s+NOT)?\b/g;
/** Response verbs the tagger often reads as nouns after "and" ("and log message"). */
export const RESPONSE_VERBS = new Set([
  'log',
  'return',
  'send',
  'redirect',
  'notify',
  'display',
  'show',
  'create',
  'delete',
  'update',
  'store',
  'emit',
  'record',
  'retry',
  'skip',
  'reject',
  'respond',
  'raise',
  'throw',
  'alert',
  'email',
  'save',
  'mark',
  'set',
  'trigger',
  'block',
  'hide',
  'disable',
  'enable',
]);
const TRIGGER = /^\s*(WHEN|WHILE|IF|WHERE)\b/;
/** A condition written in lowercase after the response: the trigger EARS puts first. */
const LATE_TRIGGER =
  /\b(when|whenever|if|while|once|upon)\b(?!\s+(?:possible|appropriate|applicable|necessary|needed)\b)/;

const detect = sentenceDetector((prose, text) => {
  const found: LocalFinding[] = [];
  const masked = prose.masked;
  const shalls = [...masked.matchAll(SHALL)];
  if (!shalls.length) return found;
  const first = shalls[0].index!;
  const head = masked.slice(0, first);
  const trigger = TRIGGER.exec(masked)?.[1];
  // the system: "THE <name>" or "the <name>" right before SHALL
  // the system is named between THEN (when there is one) and SHALL
  const thenAt = head.lastIndexOf('THEN');
  const subject = thenAt >= 0 ? head.slice(thenAt + 4) : head;
  const system =
    /\b(?:THE|[Tt]he|[Aa]n?|[Ee]ach|[Ee]very)\s+[\p{L}\p{N}]/u.test(subject) ||
    /\b[\p{Lu}][\p{L}\p{N}]+\s+$/u.test(subject);
  if (!system) {
    found.push({
      start: shalls[0].index!,
      end: shalls[0].index! + shalls[0][0].length,
      message: `"SHALL" without the system that responds: write "THE <system> SHALL ..." so a tester knows what to check.`,
    });
  }
  if (trigger === 'IF' && !/\bTHEN\b/.test(head)) {
    const at = masked.indexOf('IF');
    found.push({
      start: at,
      end: at + 2,
      message:
        'An EARS "IF" (unwanted behaviour) requirement needs "THEN THE <system> SHALL ...": the response is not separated from the condition.',
    });
  }
  if (shalls.length > 1) {
    const second = shalls[1];
    found.push({
      start: second.index!,
      end: second.index! + second[0].length,
      message:
        'Two responses in one requirement ("SHALL ... SHALL ..."): split it into one requirement per response so each can pass or fail on its own.',
    });
    return found;
  }
  // two responses joined by "and"/"or" after SHALL: "SHALL skip creation and log message"
  const afterShall = first + shalls[0][0].length;
  const tokens = prose.tokens.filter((t) => t.start >= afterShall);
  const firstVerb = tokens.find((t) => t.pos !== 'ADV' && t.pos !== 'PART');
  if (firstVerb && (firstVerb.pos === 'VERB' || firstVerb.pos === 'AUX')) {
    for (let i = 1; i < tokens.length - 1; i++) {
      const word = tokens[i].text.toLowerCase();
      if (word !== 'and' && word !== 'or') continue;
      if (/\b(?:if|when|whether|either|both|between)\b/i.test(masked.slice(afterShall, tokens[i].start))) break;
      const next = tokens[i + 1];
      // "log" and "return" are often tagged as nouns after "and": a known response verb counts
      if (
        !RESPONSE_VERBS.has(next.text.toLowerCase()) &&
        (next.pos !== 'VERB' || next.text.toLowerCase() !== next.lemma.toLowerCase())
      )
        continue;
      const message =
        word === 'or'
          ? `"${firstVerb.text} ... or ${next.text} ...": two responses a tester cannot choose between. State which one happens when, or split the requirement.`
          : `Two responses in one requirement ("${firstVerb.text} ... and ${next.text} ..."): split it so each response can pass or fail on its own.`;
      found.push({ start: tokens[i].start, end: next.end, message });
      break;
    }
  }
  // "THE service SHALL extract the IP address when available": the condition EARS writes as "WHEN"
  if (!trigger) {
    const late = LATE_TRIGGER.exec(masked.slice(afterShall));
    if (late) {
      const at = afterShall + late.index!;
      found.push({
        start: at,
        end: at + late[1].length,
        message: `A condition ("${text.slice(at, at + late[1].length)} ...") after the response: EARS states it first ("${late[1].toUpperCase() === 'IF' ? 'IF <condition> THEN' : late[1].toUpperCase() === 'WHILE' ? 'WHILE <state>' : 'WHEN <trigger>'} THE <system> SHALL ..."), so the requirement reads as event-driven, not always-on.`,
      });
    }
  }
  return found;
});

export const earsRequirement: Rule = {
  id: 'ears-requirement',
  description:
    'An EARS requirement that lacks its system, puts its trigger after the response, or carries two responses.',
  category: 'ambiguity',
  defaultSeverity: 'warning',
  check(ctx) {
    if (!conventionsOf(ctx.doc).ears) return;
    for (const { sentence, prose } of proseSentences(ctx)) {
      if (!/\bSHALL\b/.test(sentence.text)) continue;
      reportLocal(ctx, sentence, detect(sentence, prose));
    }
  },
};
