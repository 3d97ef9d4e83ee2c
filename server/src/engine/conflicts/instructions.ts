import type { ClauseForm } from './form';

/**
 * Two shapes of conflict that agent instruction files have and requirement lists rarely do:
 * a ban with an exception against a duty under another condition, and a limit on how often a
 * tool may be called against a step that calls it more often.
 */

/** A limit on calls: "Each tool may be called once per order" -> any tool, at most 1, "once per order". */
export interface CallLimit {
  /** The tool's name in lower case ("refund", "modify_order"), or "*" for every tool. */
  tool: string;
  max: number;
  /** The limit as written, for messages. */
  phrase: string;
}

/** Calls of one tool in a clause, or in one procedure up to and including this step. */
export interface ToolCalls {
  tool: string;
  count: number;
  /** The tool as written ("the refund tool", "modify_order"). */
  written: string;
}

const COUNT_WORDS: Record<string, number> = {
  once: 1,
  twice: 2,
  thrice: 3,
  'one time': 1,
  'two times': 2,
  'three times': 3,
};
const COUNT = String.raw`(once|twice|thrice|one time|two times|three times|\d+ times)`;
/**
 * A tool named by a word before "tool"/"function", or by its name alone: snake_case or dotted, or any
 * word of two letters or more (these patterns are case-insensitive, so camelCase is one of those). Each
 * part is bounded: unbounded, a 3,000-character word after "call" cost the square of its length.
 */
const TOOL_NAME = String.raw`(?:the\s+)?(?:([a-z][\w.-]{0,63})\s+(?:tool|function)\b|([a-z][a-z0-9]{0,63}(?:[_.][a-z0-9]{1,63}){1,16}|[a-z]{2}[a-z0-9]{0,63})\b)`;
const LIMIT_PATTERNS: RegExp[] = [
  // "Each tool may be called once per order", "modify_order can only be called once"
  new RegExp(
    String.raw`\b(?:(each|every|any|a)\s+(?:tool|function)|${TOOL_NAME})\s+(?:may|can|must|should|shall)\s+(?:only\s+)?be\s+(?:called|invoked|used)\s+(?:only\s+|at most\s+|no more than\s+)?${COUNT}(\s+(?:per|for each|in each|in a|in one)\s+[a-z]+)?`,
    'i',
  ),
  // "Call each tool at most once per order", "Call modify_order only once"
  new RegExp(
    String.raw`\b(?:call|invoke)\s+(?:(each|every|any|a)\s+(?:tool|function)|${TOOL_NAME})\s+(?:only\s+|at most\s+|no more than\s+)${COUNT}(\s+(?:per|for each|in each|in a|in one)\s+[a-z]+)?`,
    'i',
  ),
  // "Never call a tool more than once per order", "Do not call modify_order more than once"
  new RegExp(
    String.raw`\b(?:never|do not|don't|must not|should not)\s+(?:call|invoke)\s+(?:(each|every|any|a|the same)\s+(?:tool|function)|${TOOL_NAME})\s+more than\s+${COUNT}(\s+(?:per|for each|in each|in a|in one)\s+[a-z]+)?`,
    'i',
  ),
];

function countOf(words: string): number | undefined {
  const lower = words.toLowerCase();
  return COUNT_WORDS[lower] ?? (/^(\d+) times$/.exec(lower) ? parseInt(lower, 10) : undefined);
}

/** The call limit a clause sets, if it sets one. */
export function callLimitOf(text: string): CallLimit | undefined {
  for (const pattern of LIMIT_PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [phrase, every, named, identifier, count] = match;
    const max = countOf(count);
    if (max === undefined) continue;
    const tool = every ? '*' : (named ?? identifier)?.toLowerCase();
    if (!tool) continue;
    return { tool, max, phrase: phrase.trim() };
  }
  return undefined;
}

const CALL = new RegExp(String.raw`\b(?:call|calls|calling|invoke|invokes|invoking)\s+${TOOL_NAME}`, 'gi');

/** Calls of each tool a clause makes ("call the refund tool, then call the refund tool again"). */
export function toolCallsOf(text: string): ToolCalls[] {
  if (callLimitOf(text)) return [];
  const calls = new Map<string, ToolCalls>();
  for (const match of text.matchAll(CALL)) {
    const name = (match[1] ?? match[2])?.toLowerCase();
    if (
      !name ||
      name === 'each' ||
      name === 'every' ||
      name === 'any' ||
      name === 'a' ||
      name === 'the' ||
      name === 'same'
    )
      continue;
    const entry = calls.get(name) ?? { tool: name, count: 0, written: match[0].replace(/^\w+\s+/, '') };
    entry.count++;
    calls.set(name, entry);
  }
  return [...calls.values()];
}

/** The calls that break the limit: more calls of the limited tool (or of any tool for "each tool") than it allows. */
export function callsOverLimit(limit: CallLimit, calls: readonly ToolCalls[]): ToolCalls | undefined {
  return calls.find((call) => (limit.tool === '*' || limit.tool === call.tool) && call.count > limit.max);
}

/**
 * Kinds a ban names that cover narrower things a duty names: a ban on "compensation" covers a
 * voucher. Kept small on purpose: every entry is a word an instruction file uses for a kind of the
 * key, never a guess; everything beyond it is the model tier's job.
 */
const KIND_OF: Record<string, string> = {
  voucher: 'compensation',
  coupon: 'compensation',
  refund: 'compensation',
  discount: 'compensation',
  rebate: 'compensation',
  credit: 'compensation',
  password: 'credential',
  token: 'credential',
  'api key': 'credential',
};

/** The kind a word names a case of ("voucher" -> "compensation"), if the table knows one. */
export function kindOf(word: string): string | undefined {
  return KIND_OF[word];
}

/** Whether a ban's object names `general` and the duty's object is it or a kind of it. */
export function covers(general: string, specific: string): boolean {
  return general === specific || KIND_OF[specific] === general;
}

/** People an instruction addresses: "to a customer" in a ban does not narrow it against "offer a voucher". */
const ADDRESSEES = new Set([
  'customer',
  'user',
  'client',
  'caller',
  'buyer',
  'member',
  'patient',
  'guest',
  'visitor',
  'person',
  'people',
  'them',
  'they',
]);

/**
 * "Do not offer compensation unless they ask for it" against "If the user complains about a late
 * delivery, offer a voucher": the duty's condition is not the ban's exception, so whenever the user
 * complains without asking both apply. The reason is worded from the ban's side, then the duty's.
 */
export function exceptionGap(ban: ClauseForm, duty: ClauseForm): { fromBan: string; fromDuty: string } | undefined {
  if (ban.polarity >= 0 || duty.polarity <= 0 || !ban.action || ban.action !== duty.action) return undefined;
  if (ban.actor && duty.actor && ban.actor !== duty.actor) return undefined;
  if (ban.anaphoric || duty.anaphoric || duty.hasException) return undefined;
  if (ban.conditionText.length !== 1 || duty.conditionText.length !== 1) return undefined;
  const exception = ban.conditionText[0];
  const condition = duty.conditionText[0];
  if (!/^(unless|except)\b/i.test(exception) || !/^(if|when|whenever)\b/i.test(condition)) return undefined;
  // "unless they ask" against "if the customer asks for one": the duty is the exception, as meant
  // (who asks is not what is asked: "the user" in both conditions does not make them one case)
  const exceptionWords = new Set((ban.conditions[0]?.split(' ') ?? []).filter((w) => !ADDRESSEES.has(w)));
  if (!exceptionWords.size || (duty.conditions[0]?.split(' ') ?? []).some((w) => exceptionWords.has(w)))
    return undefined;
  const banned = ban.objects.filter((x) => !/^\d/.test(x) && !ADDRESSEES.has(x));
  const required = duty.objects.filter((x) => !/^\d/.test(x) && !ADDRESSEES.has(x));
  if (!banned.length || !required.length || !covers(banned[0], required[0])) return undefined;
  if (banned.slice(1).some((x) => !required.includes(x))) return undefined;
  const kind = banned[0] === required[0] ? '' : ` (a ${required[0]} is ${banned[0]})`;
  return {
    fromBan: `this clause forbids "${ban.actionWord ?? ban.action}" except "${exception}", and the other requires it${kind} "${condition}", which is not that exception: when that holds and the exception does not, both apply`,
    fromDuty: `this clause requires "${duty.actionWord ?? duty.action}"${kind} "${condition}", and the other forbids it except "${exception}": that condition is not the exception, so when it holds without the exception both apply`,
  };
}
