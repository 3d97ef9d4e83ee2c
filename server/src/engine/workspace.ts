import { URI, Utils } from 'vscode-uri';
import { globMatcher, resolveConfig, type ResolvedConfig } from './config';
import { SpecParser } from './parser';
import type { CancellationToken, FileSystem, Logger } from './host';
import type { Marker, Section, SpecDocument } from './model';
import { safeDecode } from './text';
import {
  isMarkdownFileName,
  shouldScanFolder,
  specByContent,
  specByPlace,
  whyNotSpec,
  type SpecVerdict,
} from './recognition';

export interface SectionLocation {
  doc: SpecDocument;
  section: Section;
}

export interface MarkerLocation {
  doc: SpecDocument;
  marker: Marker;
}

interface Lookups {
  sections: Map<string, SectionLocation[]>;
  markerUses: Map<string, MarkerLocation[]>;
  exampleFiles: Map<string, SpecDocument[]>;
  linkedFiles: Set<string>;
  /** Answers of specVerdict, valid as long as these lookups are: they depend on the same state. */
  verdicts: Map<string, SpecVerdict>;
}
/** Files above this size are indexed but not scanned eagerly from disk. */
const MAX_SCAN_BYTES = 20 * 1024 * 1024;
/**
 * Texts from this size on are big enough to say so in the log when parsed with pauses (a
 * language server parses an editor's text of this size in slices too): a few hundred milliseconds.
 */
export const YIELDING_PARSE_CHARS = 512 * 1024;

/**
 * How a host lets a long read of files pause: a language server must keep answering requests
 * while the workspace scan parses a 10 MB spec. The engine knows nothing of the event loop.
 */
export interface ReadOptions {
  /**
   * Awaited between slices of a file's first parse and between the files of a scan (a language
   * server passes `setImmediate`). Without it (the CLI) files are parsed in one go.
   */
  pause?: () => Promise<void>;
  /** The host no longer wants the read (a scan of folders that left the workspace): it stops at the next pause. */
  token?: CancellationToken;
}

/**
 * What one change of a file did to the index: the model before and after it (undefined: none),
 * taken at the moment the change was applied, so that the files depending on it can be found.
 */
export interface IndexChange {
  before: SpecDocument | undefined;
  after: SpecDocument | undefined;
}
/** How many files linting one file may read besides it (its links, its example files, and theirs). */
const LINKED_LIMIT = 1000;

/**
 * All spec files of a workspace, parsed and cross-referenced. Updates per file: an edit re-parses
 * only the changed blocks of that file, and the cross-file lookups are rebuilt lazily from the
 * parsed models, never by re-reading the workspace.
 */
export class SpecWorkspace {
  private readonly docs = new Map<string, SpecDocument>();
  private readonly parsers = new Map<string, SpecParser>();
  private readonly markedAsSpec = new Set<string>();
  /**
   * Per file, how many changes were started (editor texts, disk reads, removals). A parse that
   * pauses is applied only if no change of its file started after it: the newer text wins and the
   * stale parse is dropped (an editor opening a file the scan is reading, a file rewritten on disk).
   */
  private readonly changesStarted = new Map<string, number>();
  /** Files with a parse under way that pauses, with that change's number: a scan leaves them to it. */
  private readonly parsing = new Map<string, number>();
  private lookups: Lookups | undefined;
  private includeMatch: (path: string) => boolean = () => false;
  private excludeMatch: (path: string) => boolean = () => false;
  config: ResolvedConfig = resolveConfig();

  constructor(
    private readonly fs: FileSystem,
    private readonly logger: Logger,
    public roots: string[] = [],
    /** false when no document is ever edited (a CLI run): parsers then keep no state for edits. */
    private readonly documentsAreEdited = true,
  ) {
    this.setConfig(this.config);
  }

  setConfig(config: ResolvedConfig): void {
    this.config = config;
    this.includeMatch = globMatcher(config.include);
    this.excludeMatch = globMatcher(config.exclude);
    this.lookups = undefined;
  }

  /**
   * Reads every Markdown file under the roots (or under `folders` only: the CLI's named folders)
   * that the index does not hold and nobody is parsing yet. With `options.pause`, pauses between
   * files and inside a big file's parse.
   */
  async scan(folders: readonly string[] = this.roots, options: ReadOptions = {}): Promise<void> {
    for (const root of folders) {
      if (options.token?.isCancellationRequested) return;
      await this.scanFolder(root, 0, options);
    }
  }

  /**
   * Reads what an indexed file draws on, and what those draw on in turn: the Markdown files it links
   * to and, when it has markers, the example files in `examples/` beside it. This is what linting one
   * file needs (its references resolve, its markers find their examples) without reading its folder:
   * a huge or unreadable sibling it never mentions is never opened. At most `limit` files are read.
   */
  async readLinked(uri: string, limit = LINKED_LIMIT, options: ReadOptions = {}): Promise<void> {
    const seen = new Set([uri]);
    const queue = [uri];
    while (queue.length) {
      const doc = this.docs.get(queue.shift()!);
      if (!doc) continue;
      const targets: string[] = [];
      for (const reference of doc.references)
        if (reference.kind === 'file' && reference.targetPath && !reference.malformed)
          targets.push(resolveRelative(doc.uri, reference.targetPath));
      if (doc.markers.length && !doc.exampleFileHeader) {
        // examples are linked by marker: examples/<id>.md, or a file of examples/ whose header names the marker
        const folder = resolveRelative(doc.uri, 'examples');
        if ((await this.fs.stat(folder)) === 'directory') {
          try {
            for (const [name, type] of await this.fs.readDirectory(folder))
              if (type === 'file' && isMarkdownFileName(name))
                targets.push(Utils.joinPath(URI.parse(folder), name).toString());
          } catch (error) {
            this.logger.warn('cannot read folder', { folder, error: String(error) });
          }
        }
      }
      for (const target of targets) {
        if (seen.has(target) || seen.size >= limit) continue;
        seen.add(target);
        if (this.excluded(target)) continue;
        // a link to a folder, or to a file that is not there, is the dangling-reference rule's to report
        if (!this.known(target) && (await this.fs.stat(target)) === 'file') await this.refreshFromDisk(target, options);
        if (options.token?.isCancellationRequested) return;
        queue.push(target);
      }
    }
  }

  private async scanFolder(folder: string, depth: number, options: ReadOptions): Promise<void> {
    if (depth > 12) return;
    let entries: [string, string][];
    try {
      entries = await this.fs.readDirectory(folder);
    } catch (error) {
      this.logger.warn('cannot read folder', { folder, error: String(error) });
      return;
    }
    for (const [name, type] of entries) {
      const child = Utils.joinPath(URI.parse(folder), name).toString();
      if (this.excluded(child)) continue;
      if (type === 'directory') {
        // dot-folders that hold specs (.github, .cursor, .kiro...) are entered; dependency and build folders never
        if (!shouldScanFolder(name, this.config.include)) continue;
        await this.scanFolder(child, depth + 1, options);
      } else if (isMarkdownFileName(name) && !this.known(child)) {
        await this.refreshFromDisk(child, options);
        // reading a file may take no time at all (a host's cached files): the host answers in between anyway
        if (options.pause) await options.pause();
      }
      if (options.token?.isCancellationRequested) return;
    }
  }

  /** Whether the index holds a file or a parse of it is under way (the editor's text, or a disk read). */
  private known(uri: string): boolean {
    return this.docs.has(uri) || this.parsing.has(uri);
  }

  private startChange(uri: string): number {
    const change = (this.changesStarted.get(uri) ?? 0) + 1;
    this.changesStarted.set(uri, change);
    return change;
  }

  /** Cancelled when the host cancels, or when a newer change of the file started: its text wins. */
  private superseded(uri: string, change: number, token: CancellationToken | undefined): CancellationToken {
    const started = this.changesStarted;
    return {
      get isCancellationRequested() {
        return !!token?.isCancellationRequested || started.get(uri) !== change;
      },
    };
  }

  /** The file's parser, or a new one (kept only once a parse of it is applied). */
  private parserOf(uri: string): SpecParser {
    return this.parsers.get(uri) ?? new SpecParser(this.documentsAreEdited);
  }

  /** Applies a parsed model (undefined: the file is gone) and says what it replaced. */
  private apply(uri: string, doc: SpecDocument | undefined, parser?: SpecParser): IndexChange {
    const before = this.docs.get(uri);
    if (doc) {
      this.docs.set(uri, doc);
      if (parser) this.parsers.set(uri, parser);
    } else {
      this.docs.delete(uri);
      this.parsers.delete(uri);
    }
    this.lookups = undefined;
    return { before, after: doc };
  }

  /**
   * Parses `text` with pauses (see SpecParser.parseYielding) as change number `change` of `uri`,
   * and applies it unless it was cancelled or a newer change of the file started meanwhile.
   */
  private async parseAndApply(
    uri: string,
    text: string,
    version: number,
    change: number,
    pause: () => Promise<void>,
    token: CancellationToken | undefined,
  ): Promise<IndexChange | undefined> {
    const stale = this.superseded(uri, change, token);
    // a parser with a previous text re-reads only what changed; a new one is kept only if its parse is applied
    const parser = this.parserOf(uri);
    this.parsing.set(uri, change);
    try {
      const doc = await parser.parseYielding(uri, text, version, pause, stale);
      return doc && !stale.isCancellationRequested ? this.apply(uri, doc, parser) : undefined;
    } finally {
      if (this.parsing.get(uri) === change) this.parsing.delete(uri);
    }
  }

  /**
   * Reads a file from disk into the index (a file that cannot be read leaves it). With
   * `options.pause`, a big file's first parse pauses; undefined, and the index unchanged, when the
   * read was cancelled or a newer change of the file (the editor's text, another read) started meanwhile.
   */
  async refreshFromDisk(uri: string, options: ReadOptions = {}): Promise<IndexChange | undefined> {
    const change = this.startChange(uri);
    let text: string | undefined;
    try {
      text = await this.fs.readFile(uri);
    } catch (error) {
      this.logger.warn('cannot read file', { uri, error: String(error) });
    }
    if (this.superseded(uri, change, options.token).isCancellationRequested) return undefined;
    if (text === undefined) return this.apply(uri, undefined);
    if (text.length > MAX_SCAN_BYTES) {
      this.logger.info('large file indexed', { uri, bytes: text.length });
    }
    if (!options.pause) {
      const parser = this.parserOf(uri);
      return this.apply(uri, parser.parse(uri, text, 0), parser);
    }
    if (text.length >= YIELDING_PARSE_CHARS)
      this.logger.info('parsing a big file in slices', { uri, characters: text.length });
    return this.parseAndApply(uri, text, 0, change, options.pause, options.token);
  }

  update(uri: string, text: string, version: number): SpecDocument {
    this.startChange(uri);
    const parser = this.parserOf(uri);
    const doc = parser.parse(uri, text, version);
    this.apply(uri, doc, parser);
    return doc;
  }

  /**
   * As update, with pauses while a big file is first read (see SpecParser.parseYielding); undefined,
   * and the index unchanged, when `token` was cancelled or a newer change of the file started meanwhile.
   */
  async updateYielding(
    uri: string,
    text: string,
    version: number,
    pause: () => Promise<void>,
    token: CancellationToken,
  ): Promise<IndexChange | undefined> {
    return this.parseAndApply(uri, text, version, this.startChange(uri), pause, token);
  }

  /** Whether a file exists on disk, indexed or not (a rename must not overwrite it). */
  async fileExists(uri: string): Promise<boolean> {
    if (this.docs.has(uri)) return true;
    try {
      return (await this.fs.stat(uri)) !== undefined;
    } catch {
      return false;
    }
  }

  remove(uri: string): void {
    this.startChange(uri);
    this.apply(uri, undefined);
  }

  get(uri: string): SpecDocument | undefined {
    return this.docs.get(uri);
  }

  markAsSpec(uri: string): void {
    this.markedAsSpec.add(uri);
    this.lookups = undefined;
  }

  /** Every indexed Markdown file, spec or not. */
  allDocuments(): SpecDocument[] {
    return [...this.docs.values()];
  }

  /** The files that count as specs. */
  specDocuments(): SpecDocument[] {
    return this.allDocuments().filter((doc) => this.isSpec(doc.uri));
  }

  relativePath(uri: string): string {
    for (const root of this.roots) {
      const prefix = root.endsWith('/') ? root : root + '/';
      if (uri.startsWith(prefix)) return safeDecode(uri.slice(prefix.length));
    }
    return safeDecode(URI.parse(uri).path.replace(/^\//, ''));
  }

  private excluded(uri: string): boolean {
    return this.excludeMatch(this.relativePath(uri));
  }

  /** Whether a file counts as a spec; see specVerdict for why. */
  isSpec(uri: string): boolean {
    return this.specVerdict(uri).isSpec;
  }

  /**
   * Whether a file is a spec and why, decided the same way for the CLI, the editor and the status
   * item (engine/recognition.ts): the config, "Treat as spec", the file's name and place, its
   * content, or a link from a spec. Re-decided whenever any file changes, so a document typed
   * from scratch becomes a spec as soon as its content qualifies.
   */
  specVerdict(uri: string): SpecVerdict {
    // asked for every file on every lint (and by rules that walk the spec): answer once per index state
    const lookups = this.getLookups();
    let answer = lookups.verdicts.get(uri);
    if (answer === undefined) lookups.verdicts.set(uri, (answer = this.decide(uri, lookups)));
    return answer;
  }

  private decide(uri: string, lookups: Lookups): SpecVerdict {
    const relative = this.relativePath(uri);
    const direct = this.decideWithoutLinks(uri, relative);
    if (direct) return direct;
    if (lookups.linkedFiles.has(uri)) return { isSpec: true, source: 'linked', reason: 'A spec links to it.' };
    return {
      isSpec: false,
      source: 'none',
      reason: `Not a spec: ${whyNotSpec(this.docs.get(uri))}. Use "Treat as spec" or an include glob to check it anyway.`,
    };
  }

  /** The verdict from config, name, place and content alone; undefined when only a link could make it a spec. */
  private decideWithoutLinks(uri: string, relative: string): SpecVerdict | undefined {
    if (this.excludeMatch(relative))
      return { isSpec: false, source: 'excluded', reason: 'Not a spec: an "exclude" glob of the config matches it.' };
    if (this.markedAsSpec.has(uri)) return { isSpec: true, source: 'marked', reason: 'Treated as a spec on request.' };
    if (this.includeMatch(relative))
      return { isSpec: true, source: 'config', reason: 'An "include" glob of the config names it.' };
    const place = specByPlace(relative);
    if (place)
      return { isSpec: true, source: 'name', reason: `A spec by its name and place: ${place.what}.`, kind: place.kind };
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    if (doc.hasSpecSyntax)
      return {
        isSpec: true,
        source: 'content',
        reason:
          'A spec by its content: it uses spec syntax ({#id} headings, [^id] markers, requirement ids or **Example**: blocks).',
      };
    const content = specByContent(doc, relative);
    if (content)
      return {
        isSpec: true,
        source: 'content',
        reason: `A spec by its content: ${content.reason}.`,
        kind: content.kind,
      };
    return undefined;
  }

  sections(id: string): SectionLocation[] {
    return this.getLookups().sections.get(id) ?? [];
  }

  allSections(): SectionLocation[] {
    return [...this.getLookups().sections.values()].flat();
  }

  markerUses(id: string): MarkerLocation[] {
    return this.getLookups().markerUses.get(id) ?? [];
  }

  allMarkerIds(): string[] {
    return [...this.getLookups().markerUses.keys()];
  }

  /**
   * Example files for a marker: `examples/<id>.md` files and files whose header names the marker.
   * With `forSpec`, the examples of that spec's marker: the files in its own `examples/` folder when
   * it has any, so that a draft's `drafts/examples/<id>.md` is never run against the main spec's
   * clause of the same id; else every file of the marker (examples kept in another folder).
   */
  exampleFiles(markerId: string, forSpec?: string): SpecDocument[] {
    const all = this.getLookups().exampleFiles.get(markerId) ?? [];
    if (!forSpec || all.length < 2) return all;
    const folder = resolveRelative(forSpec, 'examples') + '/';
    const own = all.filter((file) => file.uri.startsWith(folder) && !file.uri.slice(folder.length).includes('/'));
    return own.length ? own : all;
  }

  private getLookups(): Lookups {
    if (this.lookups) return this.lookups;
    const lookups: Lookups = {
      sections: new Map(),
      markerUses: new Map(),
      exampleFiles: new Map(),
      linkedFiles: new Set(),
      verdicts: new Map(),
    };
    this.lookups = lookups;
    // Files linked from a spec written in spec syntax (or named by config) are part of that spec.
    // Links from specs recognised by name or prose (an AGENTS.md pointing at README.md, docs/) are
    // context for a reader, not more spec: they do not make their targets specs.
    const linking: SpecDocument[] = [];
    for (const doc of this.allDocuments()) {
      const verdict = this.decideWithoutLinks(doc.uri, this.relativePath(doc.uri));
      if (verdict) lookups.verdicts.set(doc.uri, verdict);
      if (verdict?.isSpec && (doc.hasSpecSyntax || verdict.source === 'marked' || verdict.source === 'config'))
        linking.push(doc);
    }
    for (const doc of linking) {
      for (const reference of doc.references) {
        if (reference.kind === 'file' && reference.targetPath)
          lookups.linkedFiles.add(resolveRelative(doc.uri, reference.targetPath));
      }
    }
    for (const doc of this.specDocuments()) {
      for (const section of doc.sections) push(lookups.sections, section.id, { doc, section });
      if (!doc.exampleFileHeader)
        for (const marker of doc.markers) push(lookups.markerUses, marker.id, { doc, marker });
      const fileId = /\/examples\/([^/]+)\.md$/i.exec(doc.uri)?.[1];
      const headerId = doc.exampleFileHeader?.markerId;
      if (headerId) push(lookups.exampleFiles, headerId, doc);
      if (fileId && fileId !== headerId) push(lookups.exampleFiles, safeDecode(fileId), doc);
    }
    return lookups;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function resolveRelative(fromUri: string, relativePath: string): string {
  const base = URI.parse(fromUri);
  return Utils.resolvePath(Utils.dirname(base), relativePath).toString();
}

/** The expected example file of a marker used in `specUri`. */
export function exampleFileUri(specUri: string, markerId: string): string {
  return resolveRelative(specUri, `examples/${markerId}.md`);
}
