import type { Section, SpecDocument } from '../model';
import type { RelatedLocation } from '../rules/types';
import type { Span } from '../text';
import type { SpecWorkspace } from '../workspace';
import type { ClauseEntry } from './entries';
import { clauseForm } from './form';
import { isolateClause } from '../isolation';
import { short } from './messages';
import { OVERRIDE_HINT } from './precedence';

/** A clause whose claim about precedence inverts the authority order. */
export interface AuthorityInversion {
  entry: ClauseEntry;
  message: string;
  related: RelatedLocation;
}

/** Rank of an authority level: 0 is the highest; -1 when unknown or absent. */
export function authorityRank(levels: readonly string[], authority?: string): number {
  return authority === undefined ? -1 : levels.indexOf(authority);
}

/**
 * Clauses whose override claims invert the authority order: a lower level claiming to override a
 * higher one, or a top-level rule saying it can be overridden. Few sentences make such claims, so
 * this runs over all prose on every change.
 */
export function authorityInversions(
  docs: Iterable<SpecDocument>,
  workspace: SpecWorkspace,
  levels: readonly string[],
): AuthorityInversion[] {
  const result: AuthorityInversion[] = [];
  for (const entry of overrideClaims(docs)) {
    const override = entry.form.override;
    if (!override || override.negated || entry.authority === undefined) continue;
    const own = authorityRank(levels, entry.authority);
    if (own < 0) continue;
    const text = entry.clause.plain;
    if (override.direction === 'overrides') {
      const target = overrideTarget(entry, workspace, levels);
      if (!target || target.rank < 0 || target.rank >= own) continue;
      result.push({
        entry,
        message: `"${short(text)}" has ${entry.authority} authority but claims to override ${target.label}, which has the higher ${levels[target.rank]} authority. A lower level cannot override a higher one: move this rule up, or say that it yields.`,
        related: {
          uri: target.uri,
          span: target.span,
          message: `the ${levels[target.rank]}-level rule it claims to override`,
        },
      });
    } else if (
      own === 0 &&
      /^(this|these|it|they|the (?:above|following)|such)\b/i.test(text.trim()) &&
      levels
        .slice(1)
        .some((level) =>
          new RegExp(`\\b${escape(level)}s?\\b`, 'i').test(
            text.slice(text.toLowerCase().indexOf(override.phrase.toLowerCase())),
          ),
        )
    ) {
      const holder = authorityHolder(entry.doc, entry.clause.sectionId);
      if (!holder) continue;
      result.push({
        entry,
        message: `"${short(text)}" sits under ${levels[0]} authority, which nothing can override, yet says it can be overridden. Give the section a lower authority or drop the claim.`,
        related: {
          uri: entry.uri,
          span: holder.headingSpan,
          message: `the heading that gives this section ${levels[0]} authority`,
        },
      });
    }
  }
  return result;
}

/**
 * Sentences that claim precedence. Read from all prose, not only clauses: "X takes precedence
 * over Y" is a rule about rules even without a modal verb.
 */
function overrideClaims(docs: Iterable<SpecDocument>): ClauseEntry[] {
  const result: ClauseEntry[] = [];
  for (const doc of docs) {
    const sections = new Map(doc.sections.map((s) => [s.id, s] as const));
    for (const sentence of doc.sentences) {
      if (sentence.commentary || !OVERRIDE_HINT.test(sentence.plain)) continue;
      const tags = [...((sentence.sectionId && sections.get(sentence.sectionId)?.tags) || [])].sort();
      const form = isolateClause(doc, sentence, 'conflicts', () => clauseForm(sentence.plain));
      if (!form) continue;
      result.push({
        id: 0,
        uri: doc.uri,
        doc,
        clause: sentence,
        form,
        authority: sentence.authority,
        tags,
        groups: [],
        keys: [],
        order: '',
      });
    }
  }
  return result;
}

function overrideTarget(
  entry: ClauseEntry,
  workspace: SpecWorkspace,
  levels: readonly string[],
): { rank: number; label: string; uri: string; span: Span } | undefined {
  const { clause, doc } = entry;
  const at = clause.plain.toLowerCase().indexOf(entry.form.override!.phrase.toLowerCase());
  const after = at >= 0 ? clause.plain.slice(at) : clause.plain;
  for (const reference of doc.references) {
    if (reference.span.start < clause.span.start || reference.span.end > clause.span.end || !reference.targetId)
      continue;
    const location = reference.kind === 'section' ? workspace.sections(reference.targetId)[0] : undefined;
    if (!location?.section.authority) continue;
    return {
      rank: levels.indexOf(location.section.authority),
      label: `"${location.section.title}"`,
      uri: location.doc.uri,
      span: location.section.headingSpan,
    };
  }
  const mention = new RegExp(
    `\\b(${levels.map(escape).join('|')})[- ](?:level|rules?|instructions?|principles?|sections?|messages?)\\b`,
    'i',
  ).exec(after);
  if (!mention) return undefined;
  const level = mention[1].toLowerCase();
  const holder = workspace.allSections().find((s) => s.section.ownAuthority === level);
  if (!holder) return undefined;
  return {
    rank: levels.indexOf(level),
    label: `${level}-level rules`,
    uri: holder.doc.uri,
    span: holder.section.headingSpan,
  };
}

function authorityHolder(doc: SpecDocument, sectionId: string | undefined): Section | undefined {
  let section = doc.sections.find((s) => s.id === sectionId);
  while (section && !section.ownAuthority) section = section.parent;
  return section;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
