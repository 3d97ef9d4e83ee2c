import type { ResolvedConfig } from '../config';
import type { SpecDocument } from '../model';
import type { Span } from '../text';
import type { SpecWorkspace } from '../workspace';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type RuleCategory = 'structure' | 'ambiguity' | 'conflict';

export interface RelatedLocation {
  uri: string;
  span: Span;
  message: string;
}

/** A text edit, in offsets of the document the finding is in. */
export interface FixEdit {
  span: Span;
  newText: string;
}

/** A mechanical fix, carried in `diagnostic.data` so that code actions need nothing else. */
export interface Fix {
  title: string;
  edits: FixEdit[];
  preferred?: boolean;
  /** Safe to apply without review, e.g. in "fix all". */
  safe?: boolean;
  /** The edit leaves a blank the author must fill in (a reason): the finding stays until they do. */
  needsInput?: boolean;
  /** After applying, put the cursor this many characters into the first edit's new text (e.g. a definition stub). */
  cursorOffset?: number;
  /**
   * Fixes with the same group are alternatives for one problem seen from several findings (both
   * clauses of a conflict): a batch ("Fix all") applies at most one fix per group.
   */
  group?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  span: Span;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** Diagnostic tags (1 = unnecessary, 2 = deprecated). */
  tags?: (1 | 2)[];
  /** Plain data for code actions that are not edits (the model tiers' question and answers). */
  data?: object;
}

export type FindingInput = Omit<Finding, 'ruleId' | 'severity'> & { severity?: Severity };

export interface RuleContext {
  doc: SpecDocument;
  workspace: SpecWorkspace;
  config: ResolvedConfig;
  report(finding: FindingInput): void;
}

export interface Rule {
  /** Kebab-case id used in settings, suppression comments and docs/rules/<id>.md. */
  id: string;
  description: string;
  category: RuleCategory;
  defaultSeverity: Severity | 'off';
  /** Severity under the `strict` profile, when it differs from the default. */
  strictSeverity?: Severity;
  /**
   * Silencing it declares an intended exception, which a reader can only trust with a reason: a
   * suppression comment without ` -- reason` does not silence it (the contradiction rules).
   */
  suppressionNeedsReason?: boolean;
  /** Reports only from results a model run stored (the conflict model tier): its fixture cannot show findings. */
  needsModel?: boolean;
  /** Reports failures of Thought Clarifier itself (internal-error): no spec text can make it fire, so its fixture shows none. */
  reportsFaults?: boolean;
  check(context: RuleContext): void;
}

export const DOCS_BASE_URL = 'https://github.com/thought-clarifier/thought-clarifier/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
