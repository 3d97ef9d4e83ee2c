import { readFileSync } from 'fs';
import * as path from 'path';
import type { TextEdit } from 'vscode-languageserver-types';
import {
  clarificationEdit,
  clarifiedCase,
  clarifiedPrecedentInput,
  clarifyClause,
  ModelError,
  pickedAnswers,
  redact,
  rewriteEdit,
  rewriteWithAnswers,
  type ClarifiedCase,
  type Clarification,
  type ClarifyTarget,
  type Logger,
  type ModelSettingsInput,
  type PickedAnswer,
} from '../engine/modelFeatures';
import { URI } from 'vscode-uri';
import { PrecedentError, type LanguageService } from '../engine/languageService';
import { applyWorkspaceEditToDisk } from '../node/applyEdit';
import { loadSpec } from './precedentCommand';
import { withHeadlessModel, type HeadlessOutcome } from './headlessModel';
import { UsageError } from './usage';

/**
 * Clarify without VS Code: `clarifier clarify FILE --line N` and the language server's
 * `clarifier.server.clarify` command for other editors share this. The key comes from the
 * process's environment (OPENAI_API_KEY), never from a flag or a setting.
 */
export interface HeadlessClarifyOptions {
  model: ModelSettingsInput;
  apiKey?: string;
  signal?: AbortSignal;
  logger: Logger;
}

/** The model's questions about a clause, and what it would be with a given set of answers. */
export interface ClarifySession {
  target: ClarifyTarget;
  clarification: Clarification;
  /** Resolves the rewrite for the picks (option index per question, undefined = skipped): the model's own for its recommendations, else one more call. */
  rewriteFor(picks: (number | undefined)[]): Promise<string | undefined>;
  /** The case behind an answered question, for a precedent: a prompt and a reply that follows the answer (GOOD) or not (BAD). */
  caseFor(picked: PickedAnswer, label: 'GOOD' | 'BAD', rewrite: string | undefined): Promise<ClarifiedCase>;
}

/** Asks the model about a clause (the language service's clarifyTarget). */
export async function startClarify(
  target: ClarifyTarget,
  options: HeadlessClarifyOptions,
): Promise<HeadlessOutcome<ClarifySession>> {
  return withHeadlessModel(
    options.model,
    { apiKey: options.apiKey, logger: options.logger },
    async (client, settings) => {
      const clarification = await clarifyClause(client, settings.candidate, target, options.signal);
      return {
        target,
        clarification,
        rewriteFor: (picks) =>
          rewriteWithAnswers(client, settings.candidate, target, clarification, picks, options.signal),
        caseFor: (picked, label, rewrite) =>
          clarifiedCase(client, settings.candidate, target, picked, label, rewrite, options.signal),
      };
    },
  );
}

/** The one edit Clarify makes: the rewrite of the clause, or the picked clarifications after it. */
export function clarifyEdit(
  session: ClarifySession,
  picks: (number | undefined)[],
  rewrite: string | undefined,
  mode: 'rewrite' | 'append',
): TextEdit | undefined {
  if (mode === 'rewrite') return rewrite ? rewriteEdit(session.target, rewrite) : undefined;
  const sentences = pickedAnswers(session.clarification.questions, picks).map((p) => p.clarification);
  const edit = sentences.length ? clarificationEdit(session.target, sentences) : undefined;
  return edit?.newText ? edit : undefined;
}

export const CLARIFY_FLAGS = [
  'line',
  'column',
  'answers',
  'format',
  'base-url',
  'model',
  'timeout',
  'max-tokens',
  'record-precedent',
  'precedent-question',
];
export const CLARIFY_SWITCHES = ['write', 'append'];

export const CLARIFY_USAGE = `Usage: clarifier clarify <spec> --line N [options]

Asks a model what two careful readers could read differently in the clause on line N, with
answer options, and how the clause would read with the answers.

Options:
  --line N                    the clause's line (1-based); --column C picks one of several clauses on it
  --answers A,B,...           your answer to each question: the option's number (1-based), 0 to skip;
                              the rewrite then states these answers (default: the recommended ones)
  --write                     change the file: the rewrite replaces the clause
  --append                    with --write: add the answers' sentences after the clause instead
  --record-precedent GOOD|BAD also record the case behind your answer as an example of the clause: the
                              model writes a user turn where the answer matters and a reply that follows
                              it (GOOD) or the reading you ruled out (BAD); the question and your answer
                              are its reason. Written to examples/<id>.md or inline, like clarifier precedent
  --precedent-question N      which answered question the case is about (default: the first answered)
  --format text|json          output on stdout (default: text)
  --base-url URL --model NAME --timeout MS --max-tokens N
                              the model (default: $OPENAI_BASE_URL, else https://api.openai.com/v1; a local
                              server such as http://127.0.0.1:11434/v1 needs no key)
The API key is read from OPENAI_API_KEY, never from a flag.
Exit codes: 0 done; 1 no clause on that line; 2 usage error, or a setup or endpoint error (stderr says what to fix).`;

/** `clarifier clarify FILE --line N [--answers ...] [--write [--append]] [--format json]`. */
export async function runClarify(
  positional: string[],
  flags: Record<string, string | true>,
  cwd: string,
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
  logger: Logger,
  signal?: AbortSignal,
): Promise<number> {
  for (const flag of Object.keys(flags))
    if (!CLARIFY_FLAGS.includes(flag) && !CLARIFY_SWITCHES.includes(flag))
      throw new UsageError(`clarifier clarify: unknown option --${flag}`);
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const whole = (name: string, min: number): number | undefined => {
    const value = text(name);
    if (flags[name] === undefined) return undefined;
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < min)
      throw new UsageError(`clarifier clarify: --${name} needs a whole number of at least ${min}, e.g. --${name} 12`);
    return Number(value);
  };
  const format = text('format') ?? 'text';
  if (!['text', 'json'].includes(format))
    throw new UsageError(`clarifier clarify: --format must be text or json, not "${format}"`);
  const line = whole('line', 1);
  if (line === undefined)
    throw new UsageError(
      'clarifier clarify: --line N names the line of the clause (1-based), e.g. clarifier clarify spec.md --line 12',
    );
  if (flags.append && !flags.write) throw new UsageError('clarifier clarify: --append only applies with --write');
  const answersFlag = text('answers');
  if (
    flags.answers !== undefined &&
    (answersFlag === undefined || !/^\d+(,\d+)*$/.test(answersFlag.replace(/\s/g, '')))
  )
    throw new UsageError(
      'clarifier clarify: --answers takes one option number per question, 0 to skip, e.g. --answers 2,0,1',
    );
  const precedentLabel = text('record-precedent')?.toUpperCase();
  if (flags['record-precedent'] !== undefined && precedentLabel !== 'GOOD' && precedentLabel !== 'BAD')
    throw new UsageError('clarifier clarify: --record-precedent must be GOOD or BAD');
  const precedentQuestion = whole('precedent-question', 1);
  if (precedentQuestion !== undefined && !precedentLabel)
    throw new UsageError('clarifier clarify: --precedent-question only applies with --record-precedent GOOD|BAD');
  const { service, uri } = await loadSpec('clarify', positional[0], cwd, logger);
  const fileLines = readFileSync(path.resolve(cwd, positional[0]), 'utf8').split(/\r?\n/);
  if (line > fileLines.length)
    throw new UsageError(`clarifier clarify: ${positional[0]} has ${fileLines.length} lines, not ${line}`);
  const column = whole('column', 1);
  const lineText = fileLines[line - 1] ?? '';
  // without a column: the first clause that starts on the line (after a list marker or heading mark)
  const character = column !== undefined ? column - 1 : Math.max(0, lineText.search(/[A-Za-z0-9*_[(]/));
  const target = service.clarifyTarget(uri, { line: line - 1, character }, undefined);
  const outcome =
    target &&
    (await startClarify(target, {
      model: {
        baseUrl: text('base-url') ?? env.OPENAI_BASE_URL,
        model: text('model'),
        timeoutMs: whole('timeout', 1),
        maxTokens: whole('max-tokens', 1),
      },
      apiKey: env.OPENAI_API_KEY || undefined,
      signal,
      logger,
    }));
  const file = positional[0];
  if (!outcome) {
    process.stderr.write(
      `clarifier clarify: no normative clause (a sentence with must, should, may, never...) on line ${line} of ${file}\n`,
    );
    return 1;
  }
  if ('setupError' in outcome) {
    process.stderr.write(`clarifier clarify: ${outcome.setupError}\n`);
    return 2;
  }
  const { clarification } = outcome;
  const given = answersFlag?.replace(/\s/g, '').split(',').map(Number);
  if (given && given.length !== clarification.questions.length)
    throw new UsageError(
      `clarifier clarify: --answers has ${given.length} answer(s) for ${clarification.questions.length} question(s): ${clarification.questions.map((q, i) => `${i + 1}. ${q.question}`).join(' ')}`,
    );
  given?.forEach((n, i) => {
    if (n > clarification.questions[i].options.length)
      throw new UsageError(
        `clarifier clarify: question ${i + 1} has ${clarification.questions[i].options.length} options, not ${n}`,
      );
  });
  const picks = given
    ? given.map((n) => (n === 0 ? undefined : n - 1))
    : clarification.questions.map((q) => q.recommended);
  let rewrite: string | undefined;
  try {
    rewrite = await outcome.rewriteFor(picks);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    process.stderr.write(`clarifier clarify: ${redact(error.message, env.OPENAI_API_KEY)}\n`);
    return 2;
  }
  const mode = flags.append ? 'append' : 'rewrite';
  const edit = clarifyEdit(outcome, picks, rewrite, mode);
  let written = false;
  if (flags.write && edit) {
    applyWorkspaceEditToDisk({ changes: { [uri]: [edit] } });
    written = true;
  }
  let precedent: RecordedCase | undefined;
  if (precedentLabel === 'GOOD' || precedentLabel === 'BAD') {
    const recorded = await recordClarifiedCase(
      { service, uri, session: outcome, picks, rewrite, written, cwd },
      precedentLabel,
      precedentQuestion,
    );
    if (typeof recorded === 'string') {
      process.stderr.write(`clarifier clarify: ${redact(recorded, env.OPENAI_API_KEY)}\n`);
      return 2;
    }
    precedent = recorded;
  }
  if (format === 'json') {
    const questions = clarification.questions.map((q, i) => ({
      question: q.question,
      options: q.options,
      recommended: q.recommended,
      picked: picks[i] ?? null,
    }));
    write(
      JSON.stringify(
        {
          file,
          line: target.range.start.line + 1,
          clause: target.text,
          model: clarification.model,
          questions,
          rewrite: rewrite ?? null,
          edit: edit ?? null,
          written,
          precedent: precedent ?? null,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const lines = [`${file}:${target.range.start.line + 1}: ${target.text}`, ''];
  clarification.questions.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.question}`);
    q.options.forEach((o, j) =>
      lines.push(
        `   ${picks[i] === j ? '*' : ' '} ${j + 1}) ${o.answer}: ${o.clarification}${j === q.recommended ? ' (recommended)' : ''}`,
      ),
    );
  });
  if (clarification.questions.length)
    lines.push(
      '',
      given
        ? '* your answers (--answers)'
        : '* the recommended answers; choose others with --answers, e.g. --answers ' +
            clarification.questions.map(() => '1').join(','),
    );
  if (rewrite) lines.push('', `Rewrite (${clarification.model}):`, `  ${rewriteEdit(target, rewrite).newText}`);
  if (written)
    lines.push(
      '',
      mode === 'append' ? `Added the answers after the clause in ${file}.` : `Rewrote the clause in ${file}.`,
    );
  else if (flags.write) lines.push('', 'Nothing to change: the clause already says that.');
  if (precedent)
    lines.push(
      '',
      `Recorded a ${precedent.label} precedent for ${precedent.clause} in ${precedent.file}${precedent.placement === 'new-example-file' ? ` (new; the clause now carries [^${precedent.clause}])` : ''}: the next clarifier test tests it.`,
      `  user: ${precedent.prompt}`,
      `  assistant: ${precedent.reply}`,
    );
  write(lines.join('\n') + '\n');
  return 0;
}

/** What `--record-precedent` wrote: the case, and where it went. */
export interface RecordedCase {
  label: 'GOOD' | 'BAD';
  /** The unit the example belongs to: the clause's marker, or its id. */
  clause: string;
  /** Relative to the working directory. */
  file: string;
  placement: 'example-file' | 'new-example-file' | 'inline';
  question: string;
  reason: string;
  prompt: string;
  reply: string;
}

/**
 * `--record-precedent`: the case behind an answered question, written as an example of the clause
 * as it reads now (after `--write`, the rewritten clause). A usage problem throws UsageError; an
 * endpoint or an unreadable answer comes back as the message to print.
 */
async function recordClarifiedCase(
  run: {
    service: LanguageService;
    uri: string;
    session: ClarifySession;
    picks: (number | undefined)[];
    rewrite: string | undefined;
    written: boolean;
    cwd: string;
  },
  label: 'GOOD' | 'BAD',
  questionNumber: number | undefined,
): Promise<RecordedCase | string> {
  const { questions } = run.session.clarification;
  const index = questionNumber !== undefined ? questionNumber - 1 : run.picks.findIndex((p) => p !== undefined);
  if (index < 0 || index >= questions.length || run.picks[index] === undefined)
    throw new UsageError(
      questionNumber === undefined
        ? `clarifier clarify: --record-precedent needs an answered question, and ${questions.length ? 'every question was skipped (--answers 0...)' : 'the model asked none'}`
        : `clarifier clarify: --precedent-question ${questionNumber}: ${index < questions.length ? 'that question was skipped' : `there are ${questions.length} question(s)`}; name an answered one`,
    );
  const [picked] = pickedAnswers([questions[index]], [run.picks[index]]);
  let clarified: ClarifiedCase;
  try {
    clarified = await run.session.caseFor(picked, label, run.rewrite);
  } catch (error) {
    if (error instanceof ModelError) return error.message;
    throw error;
  }
  // the clause as it reads now: after --write the index holds the old text
  let unit: ClarifyTarget = run.session.target;
  if (run.written) {
    await run.service.refreshFromDisk(run.uri);
    unit = run.service.clarifyTarget(run.uri, unit.range.start, undefined) ?? unit;
  }
  const input = clarifiedPrecedentInput(unit, picked, clarified, label);
  try {
    const built = run.service.precedentEdit(input);
    applyWorkspaceEditToDisk(built.edit);
    return {
      label,
      clause: built.markerId ?? input.unitId,
      file: path.relative(run.cwd, URI.parse(built.targetUri).fsPath),
      placement: built.placement,
      question: picked.question,
      reason: input.reason ?? '',
      prompt: clarified.prompt,
      reply: clarified.reply,
    };
  } catch (error) {
    if (error instanceof PrecedentError) throw new UsageError(`clarifier clarify: ${error.message}`);
    throw error;
  }
}
