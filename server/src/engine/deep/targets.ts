import type { ResolvedConfig } from '../config';
import { candidatePairs, type ModelPair } from '../conflicts/modelTier';
import { silentLogger } from '../host';
import { lintDocument } from '../lint';
import type { Clause, SpecDocument } from '../model';
import { RULES } from '../rules/registry';
import { definedTerms, termKey } from '../rules/ambiguity/terms';
import type { SpecWorkspace } from '../workspace';
import { MODEL_AMBIGUITY, type AmbiguityTarget } from './ambiguity';

export type DeepTier = 'ambiguity' | 'conflicts';
export const DEEP_TIERS: readonly DeepTier[] = ['ambiguity', 'conflicts'];

/** What the model tiers will be asked about: plain data, so it can cross to the extension host. */
export interface DeepTargets {
  ambiguity: AmbiguityTarget[];
  conflicts: ModelPair[];
}

export interface DeepTargetOptions {
  tiers: readonly DeepTier[];
  /** Documents whose clauses are asked about; all specs when undefined. */
  uris?: readonly string[];
  /** Most clause pairs for the conflict tier (the pairs sharing the most words come first). */
  conflictBudget: number;
  /** Clause texts that come first after those with offline findings' peers: failing examples, disagreeing graders. */
  priorityClauses?: ReadonlySet<string>;
  config?: ResolvedConfig;
}

const MAX_SECTION_CHARS = 1500;
const MAX_DEFINITIONS = 6;

export function deepTargets(workspace: SpecWorkspace, options: DeepTargetOptions): DeepTargets {
  const inScope = (uri: string) => !options.uris || options.uris.includes(uri);
  const docs = workspace.specDocuments().filter((doc) => inScope(doc.uri));
  return {
    ambiguity: options.tiers.includes('ambiguity')
      ? docs
          .flatMap((doc) => rankedTargets(workspace, doc, options.priorityClauses))
          .sort(byPriority)
          .map(({ rank: _rank, ...target }) => target)
      : [],
    conflicts: options.tiers.includes('conflicts')
      ? candidatePairs(workspace, options.conflictBudget, options.config).filter(
          ({ a, b }) => inScope(a.uri) || inScope(b.uri),
        )
      : [],
  };
}

/** Highest value first: clauses with failing examples or disagreeing graders, then with offline findings, then the rest in document order. */
function byPriority(a: { rank: number }, b: { rank: number }): number {
  return b.rank - a.rank;
}

const OFFLINE_RULES = RULES.filter((rule) => rule.category !== 'structure' && !rule.needsModel);

/** Every normative clause of a document as a target, with its section and the definitions of the terms it uses, in document order. */
export function ambiguityTargets(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  priorityClauses?: ReadonlySet<string>,
): AmbiguityTarget[] {
  return rankedTargets(workspace, doc, priorityClauses).map(({ rank: _rank, ...target }) => target);
}

function rankedTargets(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  priorityClauses?: ReadonlySet<string>,
): (AmbiguityTarget & { rank: number })[] {
  const offline = lintDocument(doc, workspace, silentLogger, workspace.config, OFFLINE_RULES).filter(
    (f) => f.ruleId !== MODEL_AMBIGUITY,
  );
  const terms = definedTerms(doc);
  const bySection = new Map<string | undefined, Clause[]>();
  for (const clause of doc.clauses) {
    if (clause.commentary) continue;
    const list = bySection.get(clause.sectionId) ?? [];
    list.push(clause);
    bySection.set(clause.sectionId, list);
  }
  const targets: (AmbiguityTarget & { rank: number })[] = [];
  for (const clause of doc.clauses) {
    if (clause.commentary || !clause.normative) continue;
    const text = flat(clause.plain);
    if (text.split(' ').length < 3) continue; // a heading-like fragment has no behaviour to misread
    const section = clause.sectionId ? doc.sections.find((s) => s.id === clause.sectionId) : undefined;
    const sectionText = clip(
      (bySection.get(clause.sectionId) ?? [])
        .filter((c) => c !== clause)
        .map((c) => flat(c.plain))
        .join(' '),
      MAX_SECTION_CHARS,
    );
    const words = new Set((text.toLowerCase().match(/[\p{L}\p{N}-]+/gu) ?? []).map(termKey));
    const definitions: string[] = [];
    for (const term of terms) {
      if (definitions.length >= MAX_DEFINITIONS) break;
      const key = term.key;
      if (!(key.includes(' ') ? termKey(text).includes(key) : words.has(key))) continue;
      const sentence = doc.sentences.find((s) => term.span.start >= s.span.start && term.span.start < s.span.end);
      if (sentence && sentence !== clause) definitions.push(clip(flat(sentence.plain), 400));
    }
    const reasons: string[] = [];
    let rank = 0;
    if (priorityClauses?.has(text)) {
      reasons.push('failing examples or disagreeing graders');
      rank += 2;
    }
    if (offline.some((f) => f.span.start < clause.span.end && f.span.end > clause.span.start)) {
      reasons.push('offline findings');
      rank += 1;
    }
    targets.push({
      uri: doc.uri,
      text,
      span: clause.span,
      sectionId: clause.sectionId,
      sectionTitle: section?.title,
      sectionText,
      definitions: [...new Set(definitions)],
      priorityReasons: reasons,
      rank,
    });
  }
  return targets;
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
