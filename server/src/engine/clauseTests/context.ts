import type { ChatMessage } from '../llm/client';
import { AUTHORITY_LEVELS, type SpecDocument, type Section } from '../model';
import type { Span } from '../text';
import type { ClauseTestUnit, SpecContext } from './types';

export const SPEC_CONTEXTS: readonly SpecContext[] = ['none', 'clause', 'section', 'spec'];

/** `auto` picks per spec: see defaultContext. */
export type SpecContextSetting = SpecContext | 'auto';

export function isSpecContextSetting(value: unknown): value is SpecContextSetting {
  return value === 'auto' || (SPEC_CONTEXTS as readonly unknown[]).includes(value);
}

/**
 * What the model under test sees by default. A behaviour spec written with the Model Spec's chain
 * of command (sections with authority=root/system/developer/user/guideline) is one a model is
 * trained on: in deployment it never sees the text, so its examples run without it. Every other
 * spec (agent instruction files, system-prompt policies, product specs for an assistant) is the
 * prompt itself: the model is tested with the whole spec in front of it, as users run it.
 */
export function defaultContext(doc: SpecDocument): { context: SpecContext; reason: string } {
  let known = defaults.get(doc);
  if (!known) defaults.set(doc, (known = decideDefault(doc)));
  return known;
}

/** Asked once per unit: once per parsed document is enough. */
const defaults = new WeakMap<SpecDocument, { context: SpecContext; reason: string }>();

function decideDefault(doc: SpecDocument): { context: SpecContext; reason: string } {
  const chainOfCommand = doc.sections.some(
    (section) =>
      section.ownAuthority !== undefined && (AUTHORITY_LEVELS as readonly string[]).includes(section.ownAuthority),
  );
  if (chainOfCommand)
    return {
      context: 'none',
      reason: 'a behaviour spec with authority levels, which models are trained on rather than prompted with',
    };
  return { context: 'spec', reason: 'a spec that is given to the model as its prompt' };
}

const specTexts = new WeakMap<SpecDocument, string>();

/**
 * The spec as the model under test reads it: the file's text without example transcripts (they
 * are the tests), authoring comments and `[^id]` markers. Headings and lists stay: an agent
 * instruction file is sent as the agent would get it.
 */
export function specContextText(doc: SpecDocument): string {
  let text = specTexts.get(doc);
  if (text === undefined) specTexts.set(doc, (text = textWithout(doc, 0, doc.text.length)));
  return text;
}

/** A section's own text (with its subsections), without examples, comments and markers. */
export function sectionContextText(doc: SpecDocument, section: Section | undefined): string {
  return section ? textWithout(doc, section.span.start, section.span.end) : '';
}

/** What the model is not sent, sorted by start, once per parsed document: a section's text is then a binary search away. */
const cutsByDoc = new WeakMap<SpecDocument, Span[]>();

function cutsOf(doc: SpecDocument): Span[] {
  let cuts = cutsByDoc.get(doc);
  if (!cuts) {
    cuts = [
      ...doc.examples.map((e) => e.span),
      ...doc.comments.map((c) => c.span),
      ...doc.markers.map((m) => m.span),
    ].sort((a, b) => a.start - b.start);
    cutsByDoc.set(doc, cuts);
  }
  return cuts;
}

function textWithout(doc: SpecDocument, start: number, end: number): string {
  const cuts = cutsOf(doc);
  // the first cut that ends after `start`; spans do not nest in a way that matters here (a marker inside an example is covered by it)
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cuts[mid].start < start) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && cuts[low - 1].end > start) low--;
  let out = '';
  let at = start;
  for (let i = low; i < cuts.length && cuts[i].start < end; i++) {
    const cut = cuts[i];
    if (cut.end <= at) continue;
    if (cut.start > at) out += doc.text.slice(at, Math.min(cut.start, end));
    at = Math.max(at, cut.end);
  }
  if (at < end) out += doc.text.slice(at, end);
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The context a run uses for a unit: the one asked for, or the unit's default. */
export function contextFor(unit: ClauseTestUnit, setting: SpecContextSetting | undefined): SpecContext {
  return !setting || setting === 'auto' ? (unit.defaultContext ?? 'none') : setting;
}

/**
 * The developer message sent before the example's messages, or none. Developer, not system: the
 * spec is what a deployer says to the model (the client sends it as system where the endpoint has
 * no developer role, `mapDeveloperToSystem`).
 */
export function contextMessages(
  unit: ClauseTestUnit,
  context: SpecContext,
  specText: string | undefined,
): ChatMessage[] {
  let text: string | undefined;
  if (context === 'clause') text = unit.clauseText;
  else if (context === 'section') text = unit.sectionContext || unit.sectionText || unit.clauseText;
  else if (context === 'spec') text = specText || unit.sectionContext || unit.clauseText;
  return text ? [{ role: 'developer', content: text }] : [];
}
