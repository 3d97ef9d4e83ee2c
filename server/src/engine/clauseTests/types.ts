import type { Range } from 'vscode-languageserver-types';
import type { ChatMessage } from '../llm/client';
import type { Label } from '../model';

/** One of the spec's own answers to an example: a `<comparison>` answer with its label, or a plain trailing answer. */
export interface ReferenceAnswer {
  label?: Label;
  reason?: string;
  content: string;
}

export interface ClauseTestExample {
  /** Stable within a run: the example file or spec uri plus the example's ordinal there. */
  key: string;
  title: string;
  uri: string;
  range: Range;
  /** The conversation the model under test continues. */
  messages: ChatMessage[];
  references: ReferenceAnswer[];
  /** Why the example cannot run, e.g. a transcript with nothing to answer. */
  skip?: string;
}

/** A clause (a sentence with `[^id]` markers) or a section (with inline examples): the unit a lens runs. */
export interface ClauseTestUnit {
  id: string;
  kind: 'clause' | 'section';
  uri: string;
  /** The clause sentence, or the section heading. */
  range: Range;
  /** What the examples test: the clause sentence, or the section's normative text. */
  clauseText: string;
  sectionId?: string;
  sectionTitle: string;
  authority?: string;
  /** The section's normative sentences, for the grader's context. */
  sectionText: string;
  /** The section's text as written (with subsections), without examples: the `section` context. */
  sectionContext?: string;
  /** What of the spec the model under test sees unless a run says otherwise (see defaultContext). */
  defaultContext?: SpecContext;
  /** Why that default, for reports: "a spec that is given to the model as its prompt". */
  defaultContextReason?: string;
  examples: ClauseTestExample[];
  /** Changes when the clause, its section context or its examples change: results older than it are stale. */
  hash: string;
}

export interface Verdict {
  pass: boolean;
  score: number;
  rationale: string;
}

export type ExampleStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** What of the spec the model under test sees before an example's messages. */
export type SpecContext = 'none' | 'clause' | 'section' | 'spec';

/** One grader's reading of one answer. */
export interface GraderVerdict {
  grader: string;
  verdict?: Verdict;
  /** Why this grader gave no verdict. */
  message?: string;
}

/** One answer of the model under test to an example, and how the graders judged it. */
export interface SampleResult {
  status: 'passed' | 'failed' | 'error';
  answer?: string;
  verdicts: GraderVerdict[];
  message?: string;
}

export interface ExampleResult {
  unitId: string;
  exampleKey: string;
  title: string;
  uri: string;
  range: Range;
  status: ExampleStatus;
  answer?: string;
  verdict?: Verdict;
  /** For status error or skipped: what went wrong and what to do. */
  message?: string;
  /** For status error: the ModelError kind ("timeout", "bad-answer", "truncated", ...), or "internal". */
  errorKind?: string;
  /** True when both the answer and the verdict came from the cache. */
  cached: boolean;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  /** Every sample when the example ran more than once or with several graders. */
  samples?: SampleResult[];
  /** Passed samples / graded samples. */
  passRate?: number;
  /** The samples did not all agree: some passed, some failed. */
  flaky?: boolean;
}

export interface CalibrationResult {
  exampleKey: string;
  title: string;
  uri: string;
  range: Range;
  label: 'GOOD' | 'BAD';
  reference: string;
  /** The grader that judged this reference (each grader judges each reference). */
  grader?: string;
  verdict?: Verdict;
  /** The grader agreed with the spec's label: passed a GOOD answer or failed a BAD one. */
  agrees: boolean;
  message?: string;
}

export interface UnitResult {
  unitId: string;
  kind: ClauseTestUnit['kind'];
  uri: string;
  range: Range;
  title: string;
  unitHash: string;
  model: string;
  grader: string;
  /** Epoch milliseconds. */
  finishedAt: number;
  examples: ExampleResult[];
  /** What of the spec the model under test saw; absent in results from before contexts existed (none). */
  context?: SpecContext;
  /** Samples per example. */
  repeat?: number;
  /** Pass rate an example needs to pass. */
  threshold?: number;
  /** Every grader when more than one voted. */
  graders?: string[];
  calibration?: CalibrationResult[];
}

export const CALIBRATION_MESSAGE = 'the grader cannot tell the GOOD answer from the BAD one under this wording';
