import type { LineIndex, Span } from './text';

/** Authority levels the Model Spec uses, highest first. */
export const AUTHORITY_LEVELS = ['root', 'system', 'developer', 'user', 'guideline'] as const;
export type Authority = (typeof AUTHORITY_LEVELS)[number] | string;

export interface HeadingAttribute {
  key: string;
  value: string;
  span: Span;
  valueSpan: Span;
}

export interface Section {
  /** The `{#id}` of the heading, or a slug of its title. */
  id: string;
  /** The anchor GitHub gives this heading (its slug rules, -1/-2 for repeats): links written for GitHub use it. */
  anchor?: string;
  /** True when the id was written as `{#id}`; false for slugs. */
  explicitId: boolean;
  idSpan?: Span;
  title: string;
  titleSpan: Span;
  level: number;
  /** The heading line. */
  headingSpan: Span;
  /** From the heading to the next heading of the same or a higher level. */
  span: Span;
  attributes: HeadingAttribute[];
  /** The authority the heading sets, if any. */
  ownAuthority?: string;
  /** The authority in force: the heading's own, or inherited from the nearest ancestor that sets one. */
  authority?: string;
  tags: string[];
  parent?: Section;
}

export interface Marker {
  id: string;
  /** The whole `[^id]`. */
  span: Span;
  idSpan: Span;
}

export type ReferenceKind = 'section' | 'file' | 'external';

export interface Reference {
  kind: ReferenceKind;
  /** `[?](#id)` has no text of its own: the target's title is shown instead. */
  text: string;
  /** Section id for `#id` and `file.md#id`. */
  targetId?: string;
  /** Relative path for links to other files. */
  targetPath?: string;
  url: string;
  span: Span;
  /** The part of the source that names the target (`id` in `(#id)`). */
  targetSpan: Span;
  /** The target is not valid percent-encoding (`#%`, `file%zz.md`): kept as written and reported. */
  malformed?: boolean;
}

export interface Sentence {
  /** Stable id: the `[^id]` marker, a requirement id, or section id plus ordinal. */
  id: string;
  text: string;
  /** The text without Markdown markup. */
  plain: string;
  span: Span;
  sectionId?: string;
  authority?: string;
  markers: Marker[];
  requirementId?: string;
  normative: boolean;
  commentary: boolean;
  /** Inside a list item. */
  listItem: boolean;
  /** A cell of a table (a table is cells, never one sentence; see blockFacts.ts). */
  tableCell?: boolean;
}

/** A normative sentence. */
export type Clause = Sentence;

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';
export const ROLES: readonly Role[] = ['system', 'developer', 'user', 'assistant', 'tool'];
export type Label = 'GOOD' | 'BAD' | 'OK';

export interface Message {
  role: Role;
  attributes: Record<string, string>;
  content: string;
  span: Span;
  openTagSpan: Span;
  contentSpan: Span;
  label?: { value: Label; reason?: string; reference?: string; span: Span };
  /** Index of the comparison group this answer belongs to. */
  comparison?: number;
}

export interface TranscriptProblem {
  message: string;
  span: Span;
  kind:
    | 'unclosed-tag'
    | 'unknown-tag'
    | 'unmatched-close'
    | 'label-outside-comparison'
    | 'comparison-without-good'
    | 'unknown-label'
    | 'empty-comparison'
    | 'nested-comparison';
}

export interface Transcript {
  messages: Message[];
  comparisons: Span[];
  problems: TranscriptProblem[];
}

export interface Example {
  title: string;
  /** The `**Example**: title` paragraph. */
  titleSpan: Span;
  /** Title line through the end of the transcript fence. */
  span: Span;
  transcript?: Transcript;
  fenceSpan?: Span;
  /** The section it appears in; for example files, the clause's section as named by the header. */
  sectionId?: string;
  /** The marker id for examples in `examples/<id>.md`. */
  markerId?: string;
}

export interface Commentary {
  kind: string;
  title: string;
  span: Span;
  bodySpan: Span;
}

export interface ExampleFileHeader {
  markerId: string;
  markerSpan: Span;
  sectionTitle: string;
  sectionTitleSpan: Span;
  span: Span;
}

export interface HtmlComment {
  text: string;
  span: Span;
}

export interface SpecDocument {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  /** In document order (by heading), a subsection after its parent. */
  sections: Section[];
  /** All prose sentences, normative or not, outside transcripts. */
  sentences: Sentence[];
  /** The normative sentences. */
  clauses: Clause[];
  examples: Example[];
  references: Reference[];
  markers: Marker[];
  commentary: Commentary[];
  comments: HtmlComment[];
  /** Fenced code blocks and other code: never prose. */
  code: Span[];
  /** Set for files under `examples/` that begin "Examples for [^id] in Title:". */
  exampleFileHeader?: ExampleFileHeader;
  /** True when the file uses spec syntax: heading attributes, markers, examples or requirement ids. */
  hasSpecSyntax: boolean;
  /** Where reading the file failed (a block the parser or the model builder threw on): reported as internal-error findings. */
  problems?: import('./isolation').InternalProblem[];
  /** Anchors written as HTML (`<a id="x">`, `<a name="x">`): link targets on GitHub like heading anchors. */
  htmlAnchors?: string[];
  /** The `key: value` fields of the YAML front matter (Cursor's `globs`, Copilot's `applyTo`, `description`), when the file opens with one. */
  frontMatter?: Record<string, string>;
}
