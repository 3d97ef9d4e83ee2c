import type { Sentence, SpecDocument } from './model';
import type { Span } from './text';

/**
 * One file's or one clause's failure must never silence the others. Each stage (parse, model,
 * index, conflicts) and each rule runs behind a boundary: a throw becomes an InternalProblem on the
 * file it happened in, which the `internal-error` rule reports there (and the runner logs with the
 * file, stage and rule), while every other file, clause and rule goes on.
 */
export type Stage = 'parse' | 'model' | 'index' | 'conflicts' | 'rule';

export interface InternalProblem {
  stage: Stage;
  /** The rule that failed, for stage `rule`. */
  rule?: string;
  /** Where in the file: the block or clause being read, or the file's start. */
  span: Span;
  /** The error's message; the stack goes to the log only. */
  error: string;
  stack?: string;
}

export function describeError(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}

/** Problems found outside the parse (index, conflicts), by the document version they happened on. */
const laterProblems = new WeakMap<SpecDocument, InternalProblem[]>();

export function recordProblem(doc: SpecDocument, problem: InternalProblem): void {
  const list = laterProblems.get(doc);
  if (list) {
    // the conflict index may retry a clause on a later refresh: one finding per place and stage
    if (
      !list.some(
        (known) =>
          known.stage === problem.stage && known.span.start === problem.span.start && known.rule === problem.rule,
      )
    )
      list.push(problem);
  } else laterProblems.set(doc, [problem]);
}

/** Every internal problem of this version of the document: those of its parse and those found since. */
export function problemsOf(doc: SpecDocument): InternalProblem[] {
  return [...(doc.problems ?? []), ...(laterProblems.get(doc) ?? [])];
}

/**
 * Runs one clause's share of a stage; a throw is recorded on the clause's file and gives undefined,
 * so the caller skips that clause and goes on with the others.
 */
export function isolateClause<T>(
  doc: SpecDocument,
  clause: Pick<Sentence, 'span'>,
  stage: Stage,
  work: () => T,
): T | undefined {
  try {
    return work();
  } catch (error) {
    recordProblem(doc, { stage, span: clause.span, ...describeError(error) });
    return undefined;
  }
}

/** The message an author sees: what failed, that the rest still ran, and what to do. */
export function problemMessage(problem: InternalProblem): string {
  const where =
    problem.stage === 'rule'
      ? `the rule ${problem.rule}`
      : {
          parse: 'reading this block',
          model: 'building the spec model of this block',
          index: 'indexing this file',
          conflicts: 'the conflict analysis of this clause',
          rule: '',
        }[problem.stage];
  const rest =
    problem.stage === 'rule'
      ? 'the other rules still ran on this file'
      : problem.stage === 'conflicts'
        ? 'the other clauses and files are still checked for conflicts'
        : 'the rest of the file and the other files were still checked';
  return `Thought Clarifier failed in ${where} (${problem.error}); ${rest}. This is a bug in Thought Clarifier, not in the spec: please report it with this text.`;
}
