import type { PrecedentInput } from '../clauseTests/precedent';
import type { ChatMessage, ModelClient } from '../llm/client';
import { ModelError } from '../llm/errors';
import { jsonReadings } from '../llm/json';
import type { EndpointSettings } from '../llm/settings';
import type { ClarifyTarget, PickedAnswer } from './index';

/**
 * "The case that motivated it": after Clarify, an answered question becomes a precedent of the
 * clause, so that the next run tests the decision instead of leaving it in the wording alone. The
 * model writes one concrete case where the answer decides what the assistant does: a user turn, and
 * a reply that follows the author's answer (recorded GOOD) or the reading the author turned down
 * (recorded BAD). The question and the answer become the precedent's reason, which graders read.
 */
export interface ClarifiedCase {
  /** The user's turn. */
  prompt: string;
  /** The assistant's reply, as the label asks: following the author's answer (GOOD) or not (BAD). */
  reply: string;
  /** The model the endpoint says answered. */
  model: string;
}

export const CLARIFIED_CASE_SCHEMA = {
  name: 'clarified_case',
  schema: {
    type: 'object',
    properties: {
      prompt: {
        type: 'string',
        description: "a user's message to the assistant where the answer to the question decides what it does",
      },
      reply: { type: 'string', description: "the assistant's reply to that message" },
    },
    required: ['prompt', 'reply'],
    additionalProperties: false,
  },
};

export function clarifiedCaseMessages(
  target: ClarifyTarget,
  picked: PickedAnswer,
  label: 'GOOD' | 'BAD',
  rewrite?: string,
): ChatMessage[] {
  const wanted =
    label === 'GOOD'
      ? "a reply that does exactly what the clause asks under the author's answer"
      : "a plausible reply that follows another reading of the clause, one the author's answer rules out; it must not be absurd, only wrong under that answer";
  const parts = [
    `## Clause\n<clause>\n${target.text}\n</clause>`,
    `## The question two readers could answer differently\n${picked.question}\nThe author's answer: ${picked.answer} (${picked.clarification})`,
  ];
  if (rewrite && rewrite !== target.text)
    parts.push(`## The clause as the author clarified it\n<clause>\n${rewrite}\n</clause>`);
  return [
    {
      role: 'system',
      content: `You write test cases for a behaviour specification. A clarifying question about one clause was answered by its author.
Write one concrete case where that answer decides what the assistant does: a realistic message from a user ("prompt") and ${wanted} ("reply").
Write the prompt and the reply as they would appear in a conversation, without commentary, labels or quotes around them.
Answer with JSON only: {"prompt": "...", "reply": "..."}.`,
    },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/**
 * Asks the model for the case behind an answered question. Endpoint problems come back as the
 * client's ModelError; an answer without both a prompt and a reply is a ModelError 'bad-answer'
 * (never a precedent with an empty turn).
 */
export async function clarifiedCase(
  client: ModelClient,
  endpoint: EndpointSettings,
  target: ClarifyTarget,
  picked: PickedAnswer,
  label: 'GOOD' | 'BAD',
  rewrite?: string,
  signal?: AbortSignal,
): Promise<ClarifiedCase> {
  const result = await client.chat(
    endpoint,
    { messages: clarifiedCaseMessages(target, picked, label, rewrite), jsonSchema: CLARIFIED_CASE_SCHEMA },
    signal,
  );
  const value = jsonReadings(result.content.trim())[0] as Record<string, unknown> | undefined;
  const text = (...keys: string[]) => {
    for (const key of keys) {
      const found = value && typeof value === 'object' ? value[key] : undefined;
      if (typeof found === 'string' && found.trim()) return found.trim();
    }
    return undefined;
  };
  const prompt = text('prompt', 'user', 'message');
  const reply = text('reply', 'assistant', 'answer', 'response');
  if (!prompt || !reply) {
    const shown = result.content.trim().slice(0, 200);
    throw new ModelError(
      'bad-answer',
      `the model's answer could not be read as a case (a prompt and a reply): expected JSON like {"prompt": "...", "reply": "..."}, got ${shown ? JSON.stringify(shown) : 'an empty answer'}. Use a model that supports JSON output.`,
    );
  }
  return { prompt, reply, model: result.model };
}

/** The precedent's reason: the question and the author's answer, on one line. */
export function clarifiedReason(picked: PickedAnswer): string {
  return `${picked.question} ${picked.answer}: ${picked.clarification}`.replace(/\s+/g, ' ').trim();
}

/**
 * The precedent a clarified case becomes. `unit` names the clause as it reads now (after the
 * Clarify edit): its marker when it has one, else its id.
 */
export function clarifiedPrecedentInput(
  unit: { uri: string; clauseId: string; markerIds: string[] },
  picked: PickedAnswer,
  clarified: Pick<ClarifiedCase, 'prompt' | 'reply'>,
  label: 'GOOD' | 'BAD',
): PrecedentInput {
  return {
    uri: unit.uri,
    unitId: unit.markerIds[0] ?? unit.clauseId,
    messages: [{ role: 'user', content: clarified.prompt }],
    answer: clarified.reply,
    label,
    reason: clarifiedReason(picked),
    // the question names what the example tests; the prompt alone would not say why it is there
    title: `${picked.question} (clarified)`,
  };
}
