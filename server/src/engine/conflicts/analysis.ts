import { URI, Utils } from 'vscode-uri';
import { globMatcher, type ResolvedConfig } from '../config';
import type { Clause, Section, SpecDocument } from '../model';
import type { Finding, Fix, Severity } from '../rules/types';
import type { Span } from '../text';
import { resolveRelative, type SpecWorkspace } from '../workspace';
import { AUTHORITY_INVERSION, comparePair, NEAR_DUPLICATE, type PairVerdict } from './detect';
import { clauseForm, underLeadIn, type ClauseForm } from './form';

/** One normative clause as the conflict index sees it. */
export interface ClauseEntry {
  id: number;
  uri: string;
  doc: SpecDocument;
  clause: Clause;
  form: ClauseForm;
  authority?: string;
  tags: string[];
  /** Clauses are compared only within a group: the folder of a spec, or a configured spec set. */
  groups: string[];
  /** Lemmas this entry is filed under in the index. */
  keys: string[];
  /** The "... must not:" sentence a list item continues, which lends it its modality. */
  leadIn?: string;
}

export interface PairConflict extends PairVerdict {
  a: ClauseEntry;
  b: ClauseEntry;
}

interface SingleFinding {
  ruleId: string;
  entry: ClauseEntry;
  message: string;
  related: { uri: string; span: Span; message: string };
}

/**
 * A key filed under more clauses than this says little about a pair and would make the index
 * quadratic. Action+object keys are selective and may be longer; single words only find
 * near-duplicates, which share many rare words.
 */
const MAX_POSTING = 120;
const MAX_WORD_POSTING = 40;
/** Neighbours per clause checked in detail, best first by shared lemmas. */
const TOP_K = 24;

/**
 * The workspace-wide conflict index. It is updated per file: unchanged clauses keep their entries
 * and pair verdicts; removed clauses drop theirs; only new or edited clauses are looked up in the
 * index and compared with their neighbours.
 */
export class ConflictIndex {
  private nextId = 1;
  private readonly entries = new Map<number, ClauseEntry>();
  private readonly byUri = new Map<string, ClauseEntry[]>();
  private readonly docs = new Map<string, SpecDocument>();
  private readonly postings = new Map<string, Set<number>>();
  private readonly pairs = new Map<string, PairConflict>();
  private readonly pairsOf = new Map<number, Set<string>>();
  private config: ResolvedConfig | undefined;
  private setMatchers: ((path: string) => boolean)[] = [];
  private findingsByUri: Map<string, Finding[]> | undefined;
  private linkedSpec = new Map<string, string>();
  private linkSignature = '';
  /** Entries compared in the last refresh, for tests and the benchmark. */
  lastChecked = 0;
  /**
   * Files whose conflict findings the last refresh changed: an edit in one file can add or clear a
   * diagnostic in another, and the server republishes those.
   */
  affectedUris = new Set<string>();

  constructor(private readonly workspace: SpecWorkspace) {}

  /** Brings the index up to date with the workspace; cheap when nothing changed. */
  refresh(config: ResolvedConfig = this.workspace.config): void {
    const specs = this.workspace.specDocuments().filter((doc) => !doc.exampleFileHeader);
    // every rule asks for a refresh: keep the cheap no-change path free of work, and keep
    // affectedUris describing the last real change
    const sameConfig = !!this.config && sameSettings(config, this.config);
    if (sameConfig && specs.length === this.docs.size && specs.every((doc) => this.docs.get(doc.uri) === doc)) return;
    this.affectedUris = new Set();
    if (!sameConfig) {
      this.config = config;
      this.setMatchers = (config.specSets ?? []).map((globs) => globMatcher(globs));
      for (const uri of [...this.docs.keys()]) this.removeDoc(uri);
    }
    const current = new Map(specs.map((doc) => [doc.uri, doc] as const));
    const added: ClauseEntry[] = [];
    for (const uri of [...this.docs.keys()]) if (!current.has(uri)) this.removeDoc(uri);
    for (const [uri, doc] of current) {
      if (this.docs.get(uri) === doc) continue;
      this.affectedUris.add(uri);
      added.push(...this.updateDoc(doc));
    }
    if (this.updateLinkedSpecs(current)) {
      // a new or removed link joins or splits specs: compare everything again (rare)
      for (const pair of this.pairs.values()) this.affectedUris.add(pair.a.uri).add(pair.b.uri);
      this.pairs.clear();
      this.pairsOf.clear();
      added.splice(0, added.length, ...this.entries.values());
    }
    this.lastChecked = added.length;
    for (const entry of added) this.check(entry);
    this.findingsByUri = undefined;
  }

  /** The findings for one file, from the last refresh. */
  findings(uri: string): Finding[] {
    if (!this.findingsByUri) this.findingsByUri = this.buildFindings();
    return this.findingsByUri.get(uri) ?? [];
  }

  allPairs(): PairConflict[] {
    return [...this.pairs.values()];
  }

  /**
   * Pairs of clauses that share the most index keys, best first, whether or not a default-tier rule
   * fired: what a model tier would ask about (contradiction / entailment / neutral), within a budget.
   */
  similarPairs(budget: number): { a: ClauseEntry; b: ClauseEntry; shared: number }[] {
    const seen = new Set<string>();
    const result: { a: ClauseEntry; b: ClauseEntry; shared: number }[] = [];
    for (const entry of this.entries.values()) {
      for (const other of this.candidates(entry)) {
        const key = pairKey(entry.id, other.id);
        if (seen.has(key)) continue;
        seen.add(key);
        const shared = entry.keys.filter((k) => other.keys.includes(k)).length;
        result.push(entry.id < other.id ? { a: entry, b: other, shared } : { a: other, b: entry, shared });
      }
    }
    return result.sort((x, y) => y.shared - x.shared).slice(0, budget);
  }

  /** Candidate neighbours of a clause: the entries sharing the most indexed lemmas with it, in its groups. */
  candidates(entry: ClauseEntry): ClauseEntry[] {
    // evidence: one shared action+object pair counts as much as two shared words; the ranking
    // weighs each shared key by its rarity, so "share|screenshot" outranks "send|portal"
    const evidence = new Map<number, number>();
    const score = new Map<number, number>();
    const total = Math.max(2, this.entries.size);
    for (const key of entry.keys) {
      const posting = this.postings.get(key);
      const compound = key.includes('|');
      if (!posting || posting.size > (compound ? MAX_POSTING : MAX_WORD_POSTING)) continue;
      const weight = compound ? 2 : 1;
      const rarity = weight * Math.log(1 + total / posting.size);
      for (const id of posting) {
        if (id === entry.id) continue;
        evidence.set(id, (evidence.get(id) ?? 0) + weight);
        score.set(id, (score.get(id) ?? 0) + rarity);
      }
    }
    const need = Math.min(2, entry.keys.length);
    const ranked: [number, number][] = [];
    for (const [id, count] of evidence) if (count >= need) ranked.push([id, score.get(id)!]);
    ranked.sort((x, y) => y[1] - x[1]);
    const result: ClauseEntry[] = [];
    for (const [id] of ranked) {
      const other = this.entries.get(id)!;
      if (!this.comparable(entry, other)) continue;
      result.push(other);
      if (result.length >= TOP_K) break;
    }
    return result;
  }


  private check(entry: ClauseEntry): void {
    if (!this.entries.has(entry.id)) return;
    for (const other of this.candidates(entry)) {
      const key = pairKey(entry.id, other.id);
      if (this.pairs.has(key)) continue;
      const [a, b] = entry.id < other.id ? [entry, other] : [other, entry];
      if (a.form === b.form && a.uri === b.uri && a.clause.sectionId === b.clause.sectionId) continue;
      const verdict: PairVerdict | undefined = comparePair(a, b);
      if (!verdict) continue;
      this.pairs.set(key, { ...verdict, a, b });
      this.affectedUris.add(a.uri).add(b.uri);
      addTo(this.pairsOf, a.id, key);
      addTo(this.pairsOf, b.id, key);
    }
  }

  /** Same folder, same spec set, or files of one spec joined by links. */
  private comparable(a: ClauseEntry, b: ClauseEntry): boolean {
    if (a.groups.some((g) => b.groups.includes(g))) return true;
    const linked = this.linkedSpec.get(a.uri);
    return linked !== undefined && linked === this.linkedSpec.get(b.uri);
  }

  /**
   * Files that link to each other ([x](other.md)) belong to one spec even across folders. Returns
   * true when the grouping changed, which makes earlier pair verdicts incomplete.
   */
  private updateLinkedSpecs(docs: Map<string, SpecDocument>): boolean {
    const parent = new Map<string, string>();
    const joined = new Set<string>();
    const find = (uri: string): string => {
      let root = uri;
      while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
      return root;
    };
    for (const doc of docs.values()) {
      for (const reference of doc.references) {
        if (reference.kind !== 'file' || !reference.targetPath) continue;
        const target = resolveRelative(doc.uri, reference.targetPath.split('#')[0]);
        if (target === doc.uri || !docs.has(target)) continue;
        const [x, y] = [find(doc.uri), find(target)];
        joined.add(doc.uri).add(target);
        if (x !== y) parent.set(x < y ? y : x, x < y ? x : y);
      }
    }
    const next = new Map<string, string>();
    for (const uri of joined) next.set(uri, find(uri));
    const signature = [...next].sort((a, b) => a[0].localeCompare(b[0])).join('\n');
    const changed = signature !== this.linkSignature;
    this.linkedSpec = next;
    this.linkSignature = signature;
    return changed;
  }

  private groupsOf(uri: string): string[] {
    const path = this.workspace.relativePath(uri);
    const groups = ['dir:' + Utils.dirname(URI.parse(uri)).toString()];
    this.setMatchers.forEach((match, index) => {
      if (match(path)) groups.push('set:' + index);
    });
    return groups;
  }

  private updateDoc(doc: SpecDocument): ClauseEntry[] {
    const old = new Map<string, ClauseEntry[]>();
    for (const entry of this.byUri.get(doc.uri) ?? []) addToList(old, entryKey(entry.clause, entry.authority, entry.tags, entry.leadIn), entry);
    const groups = this.groupsOf(doc.uri);
    const sections = new Map(doc.sections.map((s) => [s.id, s] as const));
    const entries: ClauseEntry[] = [];
    const added: ClauseEntry[] = [];
    let leadIn: Clause | undefined;
    for (const sentence of doc.sentences) {
      if (!sentence.listItem) leadIn = sentence.plain.trimEnd().endsWith(':') ? sentence : undefined;
      const clause = sentence;
      const context = clause.listItem && leadIn && leadIn.sectionId === clause.sectionId && leadIn.normative ? leadIn : undefined;
      // an item under "must not:" is a clause even when it reads like a bare phrase
      if ((!sentence.normative && !context) || sentence.commentary) continue;
      const section = clause.sectionId ? sections.get(clause.sectionId) : undefined;
      const tags = [...(section?.tags ?? [])].sort();
      const key = entryKey(clause, clause.authority, tags, context?.plain);
      const reuse = old.get(key)?.shift();
      if (reuse) {
        reuse.clause = clause;
        reuse.doc = doc;
        entries.push(reuse);
        continue;
      }
      const own = clauseForm(clause.plain);
      const form = context ? underLeadIn(own, clauseForm(context.plain)) : own;
      const entry: ClauseEntry = { id: this.nextId++, uri: doc.uri, doc, clause, form, authority: clause.authority, tags, groups, keys: indexKeys(form), leadIn: context?.plain };
      this.entries.set(entry.id, entry);
      for (const k of entry.keys) addTo(this.postings, k, entry.id);
      entries.push(entry);
      added.push(entry);
    }
    for (const stale of old.values()) for (const entry of stale) this.removeEntry(entry);
    this.byUri.set(doc.uri, entries);
    this.docs.set(doc.uri, doc);
    return added;
  }

  private removeDoc(uri: string): void {
    for (const entry of this.byUri.get(uri) ?? []) this.removeEntry(entry);
    this.byUri.delete(uri);
    this.docs.delete(uri);
    this.findingsByUri = undefined;
  }

  private removeEntry(entry: ClauseEntry): void {
    this.entries.delete(entry.id);
    for (const k of entry.keys) {
      const posting = this.postings.get(k);
      posting?.delete(entry.id);
      if (posting && !posting.size) this.postings.delete(k);
    }
    for (const key of this.pairsOf.get(entry.id) ?? []) {
      const pair = this.pairs.get(key);
      this.pairs.delete(key);
      if (pair) this.affectedUris.add(pair.a.uri).add(pair.b.uri);
      if (pair) this.pairsOf.get(pair.a.id === entry.id ? pair.b.id : pair.a.id)?.delete(key);
    }
    this.pairsOf.delete(entry.id);
  }

  private buildFindings(): Map<string, Finding[]> {
    const result = new Map<string, Finding[]>();
    const push = (uri: string, finding: Finding) => {
      const list = result.get(uri);
      if (list) list.push(finding);
      else result.set(uri, [finding]);
    };
    for (const pair of this.pairs.values()) {
      if (pair.ruleId !== NEAR_DUPLICATE && (precedenceStated(pair.a, pair.b) || precedenceStated(pair.b, pair.a))) continue;
      push(pair.a.uri, pairFinding(pair, pair.a, pair.b));
      push(pair.b.uri, pairFinding(pair, pair.b, pair.a));
    }
    for (const single of this.authorityInversions()) {
      push(single.entry.uri, {
        ruleId: single.ruleId,
        severity: 'warning',
        span: single.entry.clause.span,
        message: single.message,
        related: [single.related],
        fixes: [exceptionFix(single.entry, single.ruleId)],
      });
    }
    return result;
  }

  /** Clauses whose override claims invert the authority order. Few clauses make such claims, so this runs in full. */
  private authorityInversions(): SingleFinding[] {
    const levels = this.config?.authorities ?? [];
    const rank = (authority?: string) => (authority === undefined ? -1 : levels.indexOf(authority));
    const result: SingleFinding[] = [];
    for (const entry of this.overrideClaims()) {
      const override = entry.form.override;
      if (!override || override.negated || entry.authority === undefined) continue;
      const own = rank(entry.authority);
      if (own < 0) continue;
      const text = entry.clause.plain;
      if (override.direction === 'overrides') {
        const target = this.overrideTarget(entry);
        if (!target || target.rank < 0 || target.rank >= own) continue;
        result.push({
          ruleId: AUTHORITY_INVERSION, entry,
          message: `"${short(text)}" has ${entry.authority} authority but claims to override ${target.label}, which has the higher ${levels[target.rank]} authority. A lower level cannot override a higher one: move this rule up, or say that it yields.`,
          related: { uri: target.uri, span: target.span, message: `the ${levels[target.rank]}-level rule it claims to override` },
        });
      } else if (own === 0 && /^(this|these|it|they|the (?:above|following)|such)\b/i.test(text.trim()) && levels.slice(1).some((level) => new RegExp(`\\b${escape(level)}s?\\b`, 'i').test(text.slice(text.toLowerCase().indexOf(override.phrase.toLowerCase()))))) {
        const holder = authorityHolder(entry.doc, entry.clause.sectionId);
        if (!holder) continue;
        result.push({
          ruleId: AUTHORITY_INVERSION, entry,
          message: `"${short(text)}" sits under ${levels[0]} authority, which nothing can override, yet says it can be overridden. Give the section a lower authority or drop the claim.`,
          related: { uri: entry.uri, span: holder.headingSpan, message: `the heading that gives this section ${levels[0]} authority` },
        });
      }
    }
    return result;
  }

  /**
   * Sentences that claim precedence. Read from all prose, not only clauses: "X takes precedence
   * over Y" is a rule about rules even without a modal verb.
   */
  private overrideClaims(): ClauseEntry[] {
    const result: ClauseEntry[] = [];
    for (const doc of this.docs.values()) {
      const sections = new Map(doc.sections.map((s) => [s.id, s] as const));
      for (const sentence of doc.sentences) {
        if (sentence.commentary || !OVERRIDE_HINT.test(sentence.plain)) continue;
        const tags = [...((sentence.sectionId && sections.get(sentence.sectionId)?.tags) || [])].sort();
        result.push({ id: 0, uri: doc.uri, doc, clause: sentence, form: clauseForm(sentence.plain), authority: sentence.authority, tags, groups: [], keys: [] });
      }
    }
    return result;
  }

  private overrideTarget(entry: ClauseEntry): { rank: number; label: string; uri: string; span: Span } | undefined {
    const levels = this.config?.authorities ?? [];
    const { clause, doc } = entry;
    const at = clause.plain.toLowerCase().indexOf(entry.form.override!.phrase.toLowerCase());
    const after = at >= 0 ? clause.plain.slice(at) : clause.plain;
    for (const reference of doc.references) {
      if (reference.span.start < clause.span.start || reference.span.end > clause.span.end || !reference.targetId) continue;
      const location = reference.kind === 'section' ? this.workspace.sections(reference.targetId)[0] : undefined;
      if (!location?.section.authority) continue;
      return { rank: levels.indexOf(location.section.authority), label: `"${location.section.title}"`, uri: location.doc.uri, span: location.section.headingSpan };
    }
    const mention = new RegExp(`\\b(${levels.map(escape).join('|')})[- ](?:level|rules?|instructions?|principles?|sections?|messages?)\\b`, 'i').exec(after);
    if (!mention) return undefined;
    const level = mention[1].toLowerCase();
    const holder = this.workspace.allSections().find((s) => s.section.ownAuthority === level);
    if (!holder) return undefined;
    return { rank: levels.indexOf(level), label: `${level}-level rules`, uri: holder.doc.uri, span: holder.section.headingSpan };
  }
}

const OVERRIDE_HINT = /overrid|supersed|precedence|priority over|prevails? over|trumps?\b/i;

/** The settings the index depends on. Compared by value: the server resolves a fresh config per file. */
function sameSettings(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return a === b || (JSON.stringify(a.specSets ?? []) === JSON.stringify(b.specSets ?? []) && a.authorities.join() === b.authorities.join());
}

function authorityHolder(doc: SpecDocument, sectionId: string | undefined): Section | undefined {
  let section = doc.sections.find((s) => s.id === sectionId);
  while (section && !section.ownAuthority) section = section.parent;
  return section;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CONTENT_KEY_LIMIT = 12;
const ACTION_KEY_LIMIT = 6;

/**
 * The keys a clause is filed under: action+object pairs ("store|password"), which are selective
 * even in huge specs, and single content lemmas, which find reworded duplicates.
 */
function indexKeys(form: ClauseForm): string[] {
  const keys = new Set<string>();
  if (form.action) {
    let n = 0;
    for (const lemma of form.objects) {
      if (/^\d/.test(lemma) || n++ >= ACTION_KEY_LIMIT) continue;
      keys.add(`${form.action}|${lemma}`);
    }
  }
  let n = 0;
  for (const lemma of form.lemmas) if (!/^\d/.test(lemma) && n++ < CONTENT_KEY_LIMIT) keys.add(lemma);
  return [...keys];
}

function entryKey(clause: Clause, authority: string | undefined, tags: string[], leadIn: string | undefined): string {
  return `${clause.sectionId ?? ''}\0${authority ?? ''}\0${tags.join(',')}\0${leadIn ?? ''}\0${clause.plain}`;
}

function pairKey(x: number, y: number): string {
  return x < y ? `${x}:${y}` : `${y}:${x}`;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const existing = map.get(key);
  if (existing) existing.add(value);
  else map.set(key, new Set([value]));
}

function addToList<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const existing = map.get(key);
  if (existing) existing.push(value);
  else map.set(key, [value]);
}

/** A clause shortened for a message: first words, whole, with an ellipsis. */
export function short(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 15)) + '…';
}

const SEVERITY: Record<string, Severity> = { [NEAR_DUPLICATE]: 'information' };

function where(entry: ClauseEntry, from: ClauseEntry): string {
  const section = entry.clause.sectionId ? ` in #${entry.clause.sectionId}` : '';
  if (entry.uri === from.uri) return section;
  return `${section} of ${Utils.basename(URI.parse(entry.uri))}`;
}

function pairFinding(pair: PairConflict, self: ClauseEntry, other: ClauseEntry): Finding {
  const duplicate = pair.ruleId === NEAR_DUPLICATE;
  const reason = self === pair.b && pair.reasonForSecond ? pair.reasonForSecond : pair.reason;
  const message = duplicate
    ? `"${short(self.clause.plain)}" repeats "${short(other.clause.plain)}"${where(other, self)}: ${reason}.`
    : `"${short(self.clause.plain)}" conflicts with "${short(other.clause.plain)}"${where(other, self)}: ${reason}. State which one wins, or mark one as an exception to the other.`;
  const fixes: Fix[] = [];
  if (!duplicate) {
    const reference = referenceTo(other, self);
    if (reference) {
      fixes.push({ title: 'Add an explicit precedence: this clause wins', edits: [{ span: { start: self.clause.span.end, end: self.clause.span.end }, newText: ` This takes precedence over the conflicting rule in ${reference}.` }] });
      fixes.push({ title: 'Add an explicit precedence: the other clause wins', edits: [{ span: { start: self.clause.span.end, end: self.clause.span.end }, newText: ` Where the rule in ${reference} applies, it takes precedence over this one.` }] });
    }
    fixes.push(exceptionFix(self, pair.ruleId));
  }
  return {
    ruleId: pair.ruleId,
    severity: SEVERITY[pair.ruleId] ?? 'warning',
    span: self.clause.span,
    message,
    related: [{ uri: other.uri, span: other.clause.span, message: duplicate ? 'the clause it repeats' : `the conflicting clause: "${short(other.clause.plain, 50)}"` }],
    fixes,
  };
}

/** `[?](#id)` for a section in the same file, `[?](other.md#id)` for another file. */
/**
 * "This takes precedence over the rule in [?](#other)", in the clause or the sentence right after
 * it, settles the pair: the author has said which clause wins. Checked when findings are built,
 * so that adding or removing such a sentence takes effect without the clauses changing.
 */
function precedenceStated(self: ClauseEntry, other: ClauseEntry): boolean {
  const target = other.clause.sectionId;
  if (!target) return false;
  const { doc, clause } = self;
  const next = doc.sentences[doc.sentences.indexOf(clause) + 1];
  const adjacent = next && next.span.start - clause.span.end <= 3 && !/\n\s*\n/.test(doc.text.slice(clause.span.end, next.span.start)) ? next : undefined;
  for (const sentence of adjacent ? [clause, adjacent] : [clause]) {
    if (!OVERRIDE_HINT.test(sentence.plain)) continue;
    const names = doc.references.some((reference) =>
      reference.targetId === target && reference.span.start >= sentence.span.start && reference.span.end <= sentence.span.end &&
      (reference.kind === 'section' ? other.uri === doc.uri : reference.kind === 'file'));
    if (names) return true;
  }
  return false;
}

function referenceTo(target: ClauseEntry, from: ClauseEntry): string | undefined {
  const id = target.clause.sectionId;
  if (!id) return undefined;
  if (target.uri === from.uri) return `[?](#${id})`;
  const fromDir = URI.parse(from.uri).path.split('/').slice(0, -1);
  const toPath = URI.parse(target.uri).path.split('/');
  let common = 0;
  while (common < fromDir.length && common < toPath.length - 1 && fromDir[common] === toPath[common]) common++;
  const relative = [...fromDir.slice(common).map(() => '..'), ...toPath.slice(common)].join('/');
  return `[?](${relative}#${id})`;
}

/** A suppression comment above the clause's line. Conflict rules need a reason after "reason:" to take effect. */
export function exceptionFix(entry: Pick<ClauseEntry, 'doc' | 'clause'>, ruleId: string): Fix {
  const text = entry.doc.text;
  const lineStart = text.lastIndexOf('\n', entry.clause.span.start - 1) + 1;
  let contentStart = lineStart;
  while (contentStart < entry.clause.span.start && (text[contentStart] === ' ' || text[contentStart] === '\t')) contentStart++;
  const indent = text.slice(lineStart, contentStart);
  return {
    title: 'Mark as an intended exception (write the reason in the comment)',
    needsInput: true,
    edits: [{ span: { start: contentStart, end: contentStart }, newText: `<!-- clarifier-disable-next-line ${ruleId} -- reason:  -->\n${indent}` }],
  };
}

const indexes = new WeakMap<SpecWorkspace, ConflictIndex>();

/** The workspace's conflict index, refreshed to its current files (and to `config`'s spec sets, if given). */
export function conflictIndex(workspace: SpecWorkspace, config?: ResolvedConfig): ConflictIndex {
  let index = indexes.get(workspace);
  if (!index) indexes.set(workspace, (index = new ConflictIndex(workspace)));
  index.refresh(config);
  return index;
}

/** Findings of every conflict rule for one file. */
export function conflictFindings(workspace: SpecWorkspace, uri: string, config?: ResolvedConfig): Finding[] {
  return conflictIndex(workspace, config).findings(uri);
}
