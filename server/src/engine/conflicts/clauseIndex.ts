import { URI, Utils } from 'vscode-uri';
import { globMatcher, type ResolvedConfig } from '../config';
import type { SpecDocument } from '../model';
import type { SpecWorkspace } from '../workspace';
import { comparePair, type PairVerdict } from './detect';
import { isolateClause } from '../isolation';
import { clauseDrafts, draftForm, indexKeys, POLARITY_MARK, type ClauseEntry } from './entries';
import { groupingSignature, linkedSpecGroups } from './linkedSpecs';

export type { ClauseEntry } from './entries';

export interface PairConflict extends PairVerdict {
  /** The pair in content order (see ClauseEntry.order), so that `a` and `b` never depend on edit history. */
  a: ClauseEntry;
  b: ClauseEntry;
}

/**
 * A key filed under more clauses than this says little about a pair and would make the index
 * quadratic. Action+object keys are selective and may be longer; single words only find
 * near-duplicates, which share many rare words. A clause looks up the opposite polarity of its
 * action+object keys with a larger limit: one "must not" against many "must"s of the same action
 * is exactly the conflict to find.
 */
const MAX_POSTING = 120;
const MAX_WORD_POSTING = 40;
const MAX_OPPOSITE_POSTING = 400;
/** A refresh that ranks this many clauses first sorts all entries by content order (see byOrder). */
const RANK_BY_ORDER_FROM = 2000;
/** Neighbours per clause checked in detail, best first by shared keys. */
const TOP_K = 24;

/**
 * The workspace-wide conflict index.
 *
 * Determinism: the pairs compared are a function of the current clauses only. A pair is compared
 * when either clause ranks the other among its TOP_K candidates; a clause's candidates depend
 * only on its own keys, the postings of those keys, and the grouping of files. So after a change,
 * exactly the clauses filed under a key whose posting changed (and the new clauses) rank their
 * candidates again; every other clause keeps its list, and verdicts are cached per pair. The
 * result is the same as a fresh analysis of the same files, whatever the edit history.
 */
export class ConflictIndex {
  private nextId = 1;
  private readonly entries = new Map<number, ClauseEntry>();
  private readonly byUri = new Map<string, ClauseEntry[]>();
  private readonly docs = new Map<string, SpecDocument>();
  private readonly postings = new Map<string, Set<number>>();
  /** Each clause's ranked candidates, and who ranks it (the reverse). */
  private readonly candidatesOf = new Map<number, number[]>();
  private readonly rankedBy = new Map<number, Set<number>>();
  /** Verdicts per compared pair, undefined when the pair does not collide. */
  private readonly verdicts = new Map<PairKey, PairVerdict | undefined>();
  /**
   * Entries removed since the cached verdicts were last swept of pairs with a removed entry. Ids
   * are never reused, so such a verdict is never read again; keeping per-entry sets of verdict keys
   * to delete them at once cost more than the whole verdict cache on a first analysis.
   */
  private removedSinceSweep = 0;
  private readonly pairs = new Map<PairKey, PairConflict>();
  /** The reported pairs each clause is part of (few clauses have any). */
  private readonly pairsOf = new Map<number, Set<PairKey>>();
  /** Scratch tallies of candidates(), indexed by entry id: typed arrays, not Maps, on the hot path. */
  private evidence = new Float64Array(1024);
  private score = new Float64Array(1024);
  private config: ResolvedConfig | undefined;
  private setMatchers: ((path: string) => boolean)[] = [];
  private linkedSpec = new Map<string, string>();
  private linkSignature = '';
  /** Bumped on every real change, so that findings built from the index know when to rebuild. */
  generation = 0;
  /** Clauses extracted and looked up in the last refresh (new or edited), for tests and the benchmark. */
  lastChecked = 0;
  /** Clauses whose candidates were ranked again in the last refresh. */
  lastRanked = 0;
  /**
   * Files whose conflict findings the last refresh may have changed: an edit in one file can add
   * or clear a diagnostic in another, and the server republishes those.
   */
  affectedUris = new Set<string>();

  /** @param rankByOrderFrom see RANK_BY_ORDER_FROM; a test sets it to compare both ways of ordering. */
  constructor(
    private readonly workspace: SpecWorkspace,
    private readonly rankByOrderFrom = RANK_BY_ORDER_FROM,
  ) {}

  get resolvedConfig(): ResolvedConfig | undefined {
    return this.config;
  }

  /** Brings the index up to date with the workspace; cheap when nothing changed. */
  refresh(config: ResolvedConfig = this.workspace.config): boolean {
    const specs = this.workspace.specDocuments().filter((doc) => !doc.exampleFileHeader);
    // every rule asks for a refresh: keep the cheap no-change path free of work, and keep
    // affectedUris describing the last real change
    const sameConfig = !!this.config && sameSettings(config, this.config);
    if (sameConfig && specs.length === this.docs.size && specs.every((doc) => this.docs.get(doc.uri) === doc))
      return false;
    this.generation++;
    this.affectedUris = new Set();
    const touchedKeys = new Map<string, number>();
    const added: ClauseEntry[] = [];
    if (!sameConfig) {
      this.config = config;
      this.setMatchers = (config.specSets ?? []).map((globs) => globMatcher(globs));
      for (const uri of [...this.docs.keys()]) this.removeDoc(uri, touchedKeys);
    }
    const current = new Map(specs.map((doc) => [doc.uri, doc] as const));
    for (const uri of [...this.docs.keys()]) if (!current.has(uri)) this.removeDoc(uri, touchedKeys);
    for (const [uri, doc] of current) {
      if (this.docs.get(uri) === doc) continue;
      this.affectedUris.add(uri);
      // a loop, not push(...): spreading a 10 MB file's 150,000 clauses overflows the call stack
      for (const entry of this.updateDoc(doc, touchedKeys)) added.push(entry);
    }
    const groups = linkedSpecGroups(current);
    const signature = groupingSignature(groups);
    this.linkedSpec = groups;
    let dirty: Set<number>;
    if (signature !== this.linkSignature) {
      // a new or removed link joins or splits specs: every clause ranks its candidates again (rare)
      this.linkSignature = signature;
      dirty = new Set(this.entries.keys());
    } else {
      dirty = this.rankersOf(touchedKeys);
      for (const entry of added) dirty.add(entry.id);
    }
    this.lastChecked = added.length;
    this.lastRanked = dirty.size;
    this.rerank(dirty);
    if (this.removedSinceSweep > Math.max(1000, this.entries.size)) this.sweepVerdicts();
    return true;
  }

  private sweepVerdicts(): void {
    for (const key of this.verdicts.keys()) {
      const [x, y] = pairIds(key);
      if (!this.entries.has(x) || !this.entries.has(y)) this.verdicts.delete(key);
    }
    this.removedSinceSweep = 0;
  }

  allPairs(): PairConflict[] {
    return [...this.pairs.values()];
  }

  /** The spec documents the index holds, as of the last refresh. */
  documents(): SpecDocument[] {
    return [...this.docs.values()];
  }

  allEntries(): ClauseEntry[] {
    return [...this.entries.values()];
  }

  /**
   * Pairs of clauses that share the most index keys, best first, whether or not a default-tier rule
   * fired: what a model tier would ask about (contradiction / entailment / neutral), within a budget.
   */
  similarPairs(budget: number): { a: ClauseEntry; b: ClauseEntry; shared: number }[] {
    const seen = new Set<PairKey>();
    const result: { a: ClauseEntry; b: ClauseEntry; shared: number }[] = [];
    for (const entry of this.entries.values()) {
      for (const other of this.candidates(entry)) {
        const [a, b] = this.ordered(entry, other);
        const key = pairKey(a, b);
        if (seen.has(key)) continue;
        seen.add(key);
        const shared = a.keys.filter((k) => !k.includes(POLARITY_MARK) && b.keys.includes(k)).length;
        result.push({ a, b, shared });
      }
    }
    return result
      .sort((x, y) => y.shared - x.shared || compareOrder(x.a, y.a) || compareOrder(x.b, y.b))
      .slice(0, budget);
  }

  /** Candidate neighbours of a clause: the entries sharing the most indexed keys with it, in its groups. */
  candidates(entry: ClauseEntry): ClauseEntry[] {
    // evidence: one shared action+object pair counts as much as two shared words; the ranking
    // weighs each shared key by its rarity, so "share|screenshot" outranks "send|portal". Rarity
    // uses the posting size only (not the number of clauses), so that unrelated edits elsewhere
    // never reorder this clause's candidates.
    if (this.evidence.length < this.nextId) {
      this.evidence = new Float64Array(this.nextId * 2);
      this.score = new Float64Array(this.nextId * 2);
    }
    const { evidence, score } = this;
    const seen: number[] = [];
    for (const key of entry.keys) {
      const looked = lookupKey(key);
      const posting = this.postings.get(looked);
      if (!posting || posting.size > limitOf(looked, key)) continue;
      const weight = looked === key ? (key.includes('|') ? 2 : 1) : 3;
      const rarity = weight * Math.log(1 + 1000 / posting.size);
      for (const id of posting) {
        if (id === entry.id) continue;
        if (evidence[id] === 0) seen.push(id);
        evidence[id] += weight;
        score[id] += rarity;
      }
    }
    const need = Math.min(2, entry.keys.length);
    const ranked: { other: ClauseEntry; score: number }[] = [];
    for (const id of seen) {
      const count = evidence[id];
      const total = score[id];
      evidence[id] = 0;
      score[id] = 0;
      if (count < need) continue;
      const other = this.entries.get(id)!;
      if (this.comparable(entry, other)) ranked.push({ other, score: total });
    }
    // ties (a clause pasted many times) are broken by content order, which compares long strings:
    // sort by score alone first and order only the tied run that straddles the cut
    const byOrder = this.byOrder;
    ranked.sort((x, y) => y.score - x.score);
    let cut = Math.min(TOP_K, ranked.length);
    if (cut < ranked.length && ranked[cut].score === ranked[cut - 1].score) {
      const tied = ranked[cut - 1].score;
      let from = cut - 1;
      while (from > 0 && ranked[from - 1].score === tied) from--;
      let to = cut;
      while (to < ranked.length && ranked[to].score === tied) to++;
      const run = ranked.slice(from, to).sort((x, y) => byOrder(x.other, y.other));
      ranked.splice(from, to - from, ...run);
      cut = Math.min(TOP_K, ranked.length);
    }
    const top = ranked.slice(0, cut);
    top.sort((x, y) => y.score - x.score || byOrder(x.other, y.other));
    return top.map((r) => r.other);
  }

  /** The clauses whose candidate ranking reads one of these keys, given each key's posting size before the change. */
  private rankersOf(touched: Map<string, number>): Set<number> {
    const result = new Set<number>();
    for (const [key, before] of touched) {
      const after = this.postings.get(key)?.size ?? 0;
      // the clauses that look this key up: its own posting, or for a polarity key the opposite one
      const readers = key.includes(POLARITY_MARK) ? flipPolarity(key) : key;
      const limit = limitOf(key, readers);
      // a posting over its limit both before and after is ignored by every ranking
      if (before > limit && after > limit) continue;
      for (const id of this.postings.get(readers) ?? []) result.add(id);
    }
    return result;
  }

  /**
   * compareOrder, by rank when both entries were ranked in this refresh. A refresh that ranks many
   * clauses (the first one, or one over a file pasted into itself) compares millions of pairs of
   * long order strings that share most of their characters; ranking all entries first is cheaper.
   */
  private readonly byOrder = (a: ClauseEntry, b: ClauseEntry): number =>
    a.orderRankOf === this.generation && b.orderRankOf === this.generation
      ? a.orderRank! - b.orderRank!
      : compareOrder(a, b);

  /** The pair in content order (see PairConflict). */
  private ordered(x: ClauseEntry, y: ClauseEntry): [ClauseEntry, ClauseEntry] {
    return this.byOrder(x, y) <= 0 ? [x, y] : [y, x];
  }

  private rankByOrder(): void {
    const all = [...this.entries.values()].sort(compareOrder);
    all.forEach((entry, rank) => {
      entry.orderRank = rank;
      entry.orderRankOf = this.generation;
    });
  }

  private rerank(dirty: Set<number>): void {
    if (dirty.size >= this.rankByOrderFrom) this.rankByOrder();
    const touchedPairs = new Map<PairKey, [ClauseEntry, ClauseEntry]>();
    for (const id of dirty) {
      const entry = this.entries.get(id);
      const old = this.candidatesOf.get(id) ?? [];
      for (const other of old) this.rankedBy.get(other)?.delete(id);
      if (!entry) continue;
      const next = this.candidates(entry).map((e) => e.id);
      this.candidatesOf.set(id, next);
      for (const other of next) addTo(this.rankedBy, other, id);
      for (const otherId of new Set([...old, ...next])) {
        const other = this.entries.get(otherId);
        if (!other) continue;
        const [a, b] = this.ordered(entry, other);
        touchedPairs.set(pairKey(a, b), [a, b]);
      }
    }
    for (const [key, [a, b]] of touchedPairs) {
      const considered = this.candidatesOf.get(a.id)!.includes(b.id) || this.candidatesOf.get(b.id)!.includes(a.id);
      const verdict = considered ? this.verdict(a, b, key) : undefined;
      const had = this.pairs.has(key);
      if (verdict) {
        this.pairs.set(key, { ...verdict, a, b });
        addTo(this.pairsOf, a.id, key);
        addTo(this.pairsOf, b.id, key);
      } else if (had) {
        this.pairs.delete(key);
        this.pairsOf.get(a.id)?.delete(key);
        this.pairsOf.get(b.id)?.delete(key);
      }
      if (had || verdict) this.affectedUris.add(a.uri).add(b.uri);
    }
  }

  private verdict(a: ClauseEntry, b: ClauseEntry, key: PairKey): PairVerdict | undefined {
    if (this.verdicts.has(key)) return this.verdicts.get(key);
    // the same sentence written twice (an error description repeated per method) reads the same
    // everywhere: not "the same rule in different words", and it cannot contradict itself
    const verdict = a.clause.plain === b.clause.plain && a.leadIn === b.leadIn ? undefined : comparePair(a, b);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  /** Same folder, same spec set, or files of one spec joined by links. */
  private comparable(a: ClauseEntry, b: ClauseEntry): boolean {
    if (a.groups.some((g) => b.groups.includes(g))) return true;
    const linked = this.linkedSpec.get(a.uri);
    return linked !== undefined && linked === this.linkedSpec.get(b.uri);
  }

  private groupsOf(uri: string): string[] {
    const path = this.workspace.relativePath(uri);
    const groups = ['dir:' + Utils.dirname(URI.parse(uri)).toString()];
    this.setMatchers.forEach((match, index) => {
      if (match(path)) groups.push('set:' + index);
    });
    return groups;
  }

  private updateDoc(doc: SpecDocument, touched: Map<string, number>): ClauseEntry[] {
    const old = new Map<string, ClauseEntry[]>();
    for (const entry of this.byUri.get(doc.uri) ?? []) addToList(old, entry.order, entry);
    const groups = this.groupsOf(doc.uri);
    const entries: ClauseEntry[] = [];
    const added: ClauseEntry[] = [];
    const seen = new Map<string, number>();
    for (const draft of clauseDrafts(doc, this.config?.maxAnalyzedSentences)) {
      // the same clause written twice in one section: the n-th copy keeps the n-th entry
      const copy = (seen.get(draft.key) ?? 0) + 1;
      seen.set(draft.key, copy);
      const order = `${doc.uri}\0${draft.key}\0${copy}`;
      const reuse = old.get(order)?.shift();
      if (reuse) {
        reuse.clause = draft.clause;
        reuse.doc = doc;
        // its spans moved: the other side of each of its pairs points at it and is republished
        for (const key of this.pairsOf.get(reuse.id) ?? []) {
          const pair = this.pairs.get(key);
          if (pair) this.affectedUris.add(pair.a.uri).add(pair.b.uri);
        }
        entries.push(reuse);
        continue;
      }
      // isolation (recog): a clause the reader throws on is reported on its file as internal-error and skipped
      const form = isolateClause(doc, draft.clause, 'conflicts', () => draftForm(draft));
      if (!form) continue;
      const entry: ClauseEntry = {
        id: this.nextId++,
        uri: doc.uri,
        doc,
        clause: draft.clause,
        form,
        authority: draft.authority,
        tags: draft.tags,
        groups,
        keys: indexKeys(form),
        leadIn: draft.leadIn?.plain,
        order,
      };
      this.entries.set(entry.id, entry);
      for (const k of entry.keys) {
        if (!touched.has(k)) touched.set(k, this.postings.get(k)?.size ?? 0);
        addTo(this.postings, k, entry.id);
      }
      entries.push(entry);
      added.push(entry);
    }
    for (const stale of old.values()) for (const entry of stale) this.removeEntry(entry, touched);
    this.byUri.set(doc.uri, entries);
    this.docs.set(doc.uri, doc);
    return added;
  }

  private removeDoc(uri: string, touched: Map<string, number>): void {
    for (const entry of this.byUri.get(uri) ?? []) this.removeEntry(entry, touched);
    this.byUri.delete(uri);
    this.docs.delete(uri);
    this.affectedUris.add(uri);
  }

  private removeEntry(entry: ClauseEntry, touched: Map<string, number>): void {
    this.entries.delete(entry.id);
    for (const k of entry.keys) {
      const posting = this.postings.get(k);
      if (!touched.has(k)) touched.set(k, posting?.size ?? 0);
      posting?.delete(entry.id);
      if (posting && !posting.size) this.postings.delete(k);
    }
    for (const other of this.candidatesOf.get(entry.id) ?? []) this.rankedBy.get(other)?.delete(entry.id);
    this.candidatesOf.delete(entry.id);
    // whoever ranked this entry ranks again: its key postings changed, so it is in the dirty set
    this.rankedBy.delete(entry.id);
    for (const key of this.pairsOf.get(entry.id) ?? []) {
      const pair = this.pairs.get(key);
      const [x, y] = pairIds(key);
      const partner = x === entry.id ? y : x;
      if (pair) {
        this.pairs.delete(key);
        this.pairsOf.get(partner)?.delete(key);
        this.affectedUris.add(pair.a.uri).add(pair.b.uri);
      }
    }
    this.pairsOf.delete(entry.id);
    this.removedSinceSweep++;
  }
}

/** The posting a key is looked up in: a polarity key reads the opposite polarity. */
function lookupKey(key: string): string {
  return key.includes(POLARITY_MARK) ? flipPolarity(key) : key;
}

function flipPolarity(key: string): string {
  return key.endsWith('+') ? key.slice(0, -1) + '-' : key.slice(0, -1) + '+';
}

function limitOf(posting: string, own: string): number {
  if (posting !== own || posting.includes(POLARITY_MARK)) return MAX_OPPOSITE_POSTING;
  return posting.includes('|') ? MAX_POSTING : MAX_WORD_POSTING;
}

/** The settings the index depends on. Compared by value: the server resolves a fresh config per file. */
function sameSettings(a: ResolvedConfig, b: ResolvedConfig): boolean {
  return (
    a === b ||
    (JSON.stringify(a.specSets ?? []) === JSON.stringify(b.specSets ?? []) &&
      a.authorities.join() === b.authorities.join() &&
      a.maxAnalyzedSentences === b.maxAnalyzedSentences)
  );
}

export function compareOrder(a: ClauseEntry, b: ClauseEntry): number {
  return a.order < b.order ? -1 : a.order > b.order ? 1 : 0;
}

/**
 * A pair of entry ids as one number (Map keys that are numbers cost far less than strings built per
 * pair). Ids count clause versions, one per new or edited clause: they stay far below 2^26.
 */
type PairKey = number;
const PAIR_BASE = 2 ** 26;

function pairKey(a: ClauseEntry, b: ClauseEntry): PairKey {
  return a.id < b.id ? a.id * PAIR_BASE + b.id : b.id * PAIR_BASE + a.id;
}

function pairIds(key: PairKey): [number, number] {
  return [Math.floor(key / PAIR_BASE), key % PAIR_BASE];
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
