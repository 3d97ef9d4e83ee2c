import picomatch from 'picomatch';
import type { SpecDocument } from './model';

/**
 * Which Markdown files are specs, with zero configuration, and why. One module decides for the
 * CLI, the language server and the status item, so that all three always agree and can say why.
 *
 * A file is a spec by (in this order): the user's config (include/exclude, "Treat as spec"), its
 * name and place (AGENTS.md, `.github/copilot-instructions.md`, `.kiro/specs/**`...), its content
 * (RFC 2119 capitals, EARS sentences, requirement ids, `{#id}`, or a density of normative sentences
 * addressed to an actor), or a link from another spec. Ordinary repository files (README,
 * CONTRIBUTING, CHANGELOG, docs) have none of these, or too few.
 */

/** The kinds of spec the rules may read differently; undefined when the file gives no hint. */
export type DocumentKind = 'agent-instructions' | 'policy' | 'product-spec' | 'standard';

export type RecognitionSource = 'config' | 'marked' | 'name' | 'content' | 'linked' | 'excluded' | 'none';

export interface SpecVerdict {
  isSpec: boolean;
  /** What decided: the config, the "Treat as spec" command, the file's name or place, its content, a link from a spec; or nothing. */
  source: RecognitionSource;
  /** One sentence a user reads in the status item: why this file is (or is not) a spec. */
  reason: string;
  kind?: DocumentKind;
}

// ---------------------------------------------------------------------------------------------
// Names and places

/** Files without a Markdown extension that tools read as Markdown instructions. */
const MARKDOWN_NAMES = new Set(['.cursorrules', '.windsurfrules', '.clinerules', '.goosehints', '.rules']);
const MARKDOWN_EXTENSION = /\.(md|markdown|mdc)$/i;

/** Whether a file (by its base name) is read as Markdown: `.md`, `.markdown`, Cursor's `.mdc`, and the rule files with no extension. */
export function isMarkdownFileName(name: string): boolean {
  return MARKDOWN_EXTENSION.test(name) || MARKDOWN_NAMES.has(name.toLowerCase());
}

interface PlaceRule {
  glob: string;
  kind: DocumentKind;
  what: string;
}

/** Where agent tools and spec tools keep their files. Globs are matched case-insensitively against the path relative to the workspace folder. */
const PLACES: PlaceRule[] = [
  { glob: '**/AGENTS.md', kind: 'agent-instructions', what: 'an AGENTS.md agent instruction file' },
  { glob: '**/AGENTS.override.md', kind: 'agent-instructions', what: 'an AGENTS.override.md agent instruction file' },
  { glob: '**/CLAUDE.md', kind: 'agent-instructions', what: 'a CLAUDE.md agent instruction file' },
  { glob: '**/CLAUDE.local.md', kind: 'agent-instructions', what: 'a CLAUDE.local.md agent instruction file' },
  { glob: '**/GEMINI.md', kind: 'agent-instructions', what: 'a GEMINI.md agent instruction file' },
  { glob: '**/.github/copilot-instructions.md', kind: 'agent-instructions', what: 'GitHub Copilot instructions' },
  { glob: '**/*.instructions.md', kind: 'agent-instructions', what: 'a Copilot .instructions.md file' },
  { glob: '**/*.agent.md', kind: 'agent-instructions', what: 'a Copilot custom agent (.agent.md)' },
  { glob: '**/*.chatmode.md', kind: 'agent-instructions', what: 'a Copilot chat mode (.chatmode.md)' },
  { glob: '**/*.prompt.md', kind: 'agent-instructions', what: 'a Copilot prompt file (.prompt.md)' },
  { glob: '**/.github/agents/**/*.md', kind: 'agent-instructions', what: 'a Copilot agent in .github/agents' },
  { glob: '**/.cursor/rules/**/*.{mdc,md}', kind: 'agent-instructions', what: 'a Cursor rule in .cursor/rules' },
  { glob: '**/.cursorrules', kind: 'agent-instructions', what: 'a .cursorrules file' },
  { glob: '**/.windsurfrules', kind: 'agent-instructions', what: 'a .windsurfrules file' },
  { glob: '**/.windsurf/rules/**/*.md', kind: 'agent-instructions', what: 'a Windsurf rule in .windsurf/rules' },
  { glob: '**/.clinerules', kind: 'agent-instructions', what: 'a .clinerules file' },
  { glob: '**/.clinerules/**/*.md', kind: 'agent-instructions', what: 'a Cline rule in .clinerules/' },
  { glob: '**/.roo/rules*/**/*.md', kind: 'agent-instructions', what: 'a Roo rule' },
  { glob: '**/.continue/rules/**/*.md', kind: 'agent-instructions', what: 'a Continue rule' },
  { glob: '**/.amazonq/rules/**/*.md', kind: 'agent-instructions', what: 'an Amazon Q rule' },
  { glob: '**/.junie/guidelines.md', kind: 'agent-instructions', what: 'Junie guidelines' },
  { glob: '**/.openhands/microagents/**/*.md', kind: 'agent-instructions', what: 'an OpenHands microagent' },
  {
    glob: '**/.claude/{agents,commands,rules}/**/*.md',
    kind: 'agent-instructions',
    what: 'a Claude Code agent or command',
  },
  { glob: '**/.agents/**/*.md', kind: 'agent-instructions', what: 'a file of the .agents folder' },
  { glob: '**/.kiro/specs/**/*.md', kind: 'product-spec', what: 'a Kiro spec in .kiro/specs' },
  { glob: '**/.kiro/steering/**/*.md', kind: 'agent-instructions', what: 'a Kiro steering file' },
  { glob: '**/.specify/**/*.md', kind: 'product-spec', what: 'a spec-kit file in .specify' },
  {
    glob: '**/specs/*/{spec,plan}.md',
    kind: 'product-spec',
    what: 'a spec-kit feature spec or plan (specs/<feature>/)',
  },
  { glob: '**/{prd,prds}/**/*.md', kind: 'product-spec', what: 'a product requirements document (prd/)' },
  { glob: '**/{PRD,*.prd,PRD-*,PRD_*}.md', kind: 'product-spec', what: 'a product requirements document (PRD)' },
  { glob: '**/keps/**/*.md', kind: 'standard', what: 'a Kubernetes enhancement proposal (keps/)' },
  { glob: '**/{policy,policies}/**/*.md', kind: 'policy', what: 'a policy (in a policies folder)' },
  { glob: '**/*ai[-_]{policy,policies}*.md', kind: 'policy', what: 'an AI policy' },
];

const placeMatchers = PLACES.map((place) => ({ ...place, match: picomatch(place.glob, { dot: true, nocase: true }) }));

/** The name-and-place rule a path (relative to its workspace folder, `/`-separated) matches, if any. */
export function specByPlace(relativePath: string): { kind: DocumentKind; what: string } | undefined {
  const path = relativePath.replace(/\\/g, '/').replace(/^\/+/, '');
  for (const place of placeMatchers) if (place.match(path)) return { kind: place.kind, what: place.what };
  return undefined;
}

/** Folders that hold dependencies, build output or tool state, never specs: the scan does not enter them. */
const NEVER_SCANNED = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.gradle',
  '.m2',
  '.idea',
  '.vs',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.parcel-cache',
  '.cache',
  '.yarn',
  '.pnpm-store',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '.terraform',
  '.vscode-test',
  '.angular',
  '.expo',
  '.dart_tool',
  'Pods',
  'DerivedData',
  'vendor',
]);

/** Dot-folders where agent tools and spec tools keep specs: the scan enters these (and any other a config glob names). */
export const SPEC_DOT_FOLDERS = new Set([
  '.github',
  '.cursor',
  '.kiro',
  '.specify',
  '.clinerules',
  '.openhands',
  '.agents',
  '.claude',
  '.gemini',
  '.windsurf',
  '.roo',
  '.continue',
  '.amazonq',
  '.junie',
  '.codex',
  '.augment',
  '.devin',
  '.trae',
  '.kilocode',
  '.opencode',
  '.goose',
  '.zed',
  '.docs',
  '.spec',
  '.specs',
]);

/**
 * Whether the workspace scan enters a folder: never dependency, build or tool folders (unless an
 * include glob names them); dot-folders only when they hold specs or an include glob names them.
 */
export function shouldScanFolder(name: string, includeGlobs: readonly string[]): boolean {
  const namedByGlob = includeGlobs.some((glob) =>
    glob
      .split('/')
      .some(
        (segment) =>
          segment === name ||
          (segment.startsWith('.') && /[*?[{]/.test(segment) && picomatch.isMatch(name, segment, { dot: true })),
      ),
  );
  if (namedByGlob) return true;
  if (NEVER_SCANNED.has(name)) return false;
  if (name.startsWith('.')) return SPEC_DOT_FOLDERS.has(name);
  return true;
}

/** Ordinary repository files: they are specs only on strong evidence (RFC capitals, EARS, ids), not on a density of "should". */
const ORDINARY_FILE =
  /^(readme|contributing|changelog|changes|history|news|code_of_conduct|security|support|governance|maintainers|authors|license|licence|notice|releasing|release-notes|upgrading|migration)(\.[\w-]+)?\.(md|markdown)$/i;

// ---------------------------------------------------------------------------------------------
// Content

export interface ContentSignals {
  /** Prose sentences outside code, commentary and headings. */
  sentences: number;
  /** Normative sentences addressed to an actor ("The agent must...", "Never commit...", "You should..."). */
  directives: number;
  /** Capital RFC 2119 / BCP 14 keywords (MUST, SHALL, SHOULD, with NOT) in mixed-case prose. */
  rfcKeywords: number;
  /** The text cites RFC 2119, RFC 8174 or BCP 14. */
  citesRfc2119: boolean;
  /** EARS sentences: "WHEN ... THE SYSTEM SHALL ...", "THE <system> SHALL ...". */
  ears: number;
  /** Requirement ids that open a paragraph, list item or table row (FR-001, REQ-12, SVC-QUEUE-003). */
  requirementIds: number;
  /** Headings with an explicit `{#id}`. */
  explicitIds: number;
  /** `[^id]` markers and `**Example**:` blocks, the Model Spec's syntax. */
  specSyntax: boolean;
  /** Headings that name spec sections (Requirements, Definitions, Conformance, Policy, Rules...). */
  specHeadings: number;
  /** Headings of an ordinary project README (Installation, Usage, License...). */
  ordinaryHeadings: number;
  /** The opening prose calls the document a specification, policy or proposal. */
  selfDescribed: boolean;
}

const RFC_KEYWORD = /\b(?:MUST(?: NOT)?|SHALL(?: NOT)?|SHOULD(?: NOT)?|REQUIRED|RECOMMENDED)\b/g;
const RFC_CITATION = /\b(?:RFC ?2119|RFC ?8174|BCP ?14)\b/;
const EARS = /\b(?:WHEN|WHILE|IF|WHERE)\b[^.]*?\bSHALL\b|\bTHE\s+[A-Za-z][\w -]{0,60}?\s+SHALL\b/;
// [ \t], never \s, around the id: \s crosses line breaks, and a run of blank lines then cost its cube
const TABLE_ID_ROW =
  /^[ \t]*\|?[ \t]*(?:\*\*|`)?([A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*[-_]\d{1,5}[a-z]?)(?:\*\*|`)?[ \t]*(?:\||:|[ \t][-–—][ \t])/gm;
const NOT_REQUIREMENT_PREFIX =
  /^(?:CVE|GHSA|ISO|RFC|SHA|UTF|PEP|ES|ECMA|HTTP|TLS|MD|AES|RSA|X|IEEE|BCP|ADR|PR|GH|V|KEP|SEP|JSR|ERC|EIP|BIP|WCAG|ANSI|CSS|HTML|IE|U|OS)$/;

/** A normative word, as policies and instruction files use them. */
const NORMATIVE =
  /\b(?:must|shall|should|never|always|do not|don['’]t|does not|cannot|can['’]t|may not|is (?:not )?(?:required|allowed|permitted|forbidden|prohibited)|are (?:not )?(?:required|allowed|permitted|forbidden|prohibited)|need to|needs to|have to|has to|avoid|ensure|make sure|prefer|refrain|only)\b/i;
/** An imperative that addresses the reader or the agent: "Never...", "Always...", "Do not...", "Avoid...". */
const IMPERATIVE =
  /^(?:\*\*[^*]{1,60}\*\*:?\s*|[A-Z][\w ]{0,30}:\s+)?(?:never|always|do not|don['’]t|avoid|ensure|make sure|prefer|refrain|only|must|be sure|remember to|keep|use|follow|write|run|include|add|check|verify|test|place|put|call|return|respond|refuse|ask|treat|provide|maintain|document|handle|validate|limit|update|create|read|review|respect|comply|report|protect|describe|explain|state|cite|disclose|flag|escalate|confirm)\b/i;
/** "X must ...", "The assistant should ...": a short subject before the modal. */
const SUBJECT_MODAL =
  /^(?:[\w'’/.-]+[,]?\s+){1,7}?(?:must|shall|should|may not|cannot|can['’]t|will never|will always|is required to|are required to|is expected to|are expected to|is not allowed to|are not allowed to|never|always|need to|needs to|has to|have to)\b/i;

const SPEC_HEADING =
  /\b(?:specifications?|requirements?|conformance|compliance|definitions|terminology|glossary|constitution|principles|polic(?:y|ies)|guidelines|rules|prohibited|acceptable use|user stor(?:y|ies)|acceptance criteria|non-goals|goals|scope|rationale|motivation|proposal|dos? and don['’]ts|do['’]s and don['’]ts|constraints|behaviou?r|obligations|responsibilities|restrictions|governance|conventions|standards|best practices|code style|workflow|instructions)\b/i;
const ORDINARY_HEADING =
  /\b(?:install(?:ation|ing)?|getting started|quick ?start|usage|licen[cs]e|badges|changelog|release notes|support|sponsors?|backers|contributors|acknowledge?ments|faq|screenshots?|demo|table of contents|features|roadmap|credits|authors|community|documentation)\b/i;

/** The document says what it is: "This specification...", "a draft proposal", "This policy...". */
const SELF_DESCRIPTION =
  /\b(?:this|the present) (?:specification|spec|policy|proposal|RFC|KEP|PEP|standard|constitution|charter)\b|\b(?:draft|proposed) (?:proposal|specification|standard|policy)\b/i;

const signalCache = new WeakMap<SpecDocument, ContentSignals>();

/** What a document's content says about it being a spec; computed once per parsed version. */
export function contentSignals(doc: SpecDocument): ContentSignals {
  let signals = signalCache.get(doc);
  if (!signals) signalCache.set(doc, (signals = computeSignals(doc)));
  return signals;
}

function computeSignals(doc: SpecDocument): ContentSignals {
  let sentences = 0;
  let directives = 0;
  let rfcKeywords = 0;
  let ears = 0;
  let citesRfc2119 = false;
  const requirementIds = new Set<string>();
  for (const sentence of doc.sentences) {
    if (sentence.commentary) continue;
    const plain = sentence.plain.length > 2000 ? sentence.plain.slice(0, 2000) : sentence.plain;
    if (!/[a-z]/i.test(plain)) continue;
    sentences++;
    if (sentence.requirementId) requirementIds.add(sentence.requirementId);
    // licence texts shout ("IN NO EVENT SHALL THE AUTHORS..."): capitals count only in mixed-case prose
    const letters = plain.replace(/[^A-Za-z]/g, '');
    const upper = letters.replace(/[^A-Z]/g, '').length;
    const shouting = letters.length > 0 && upper / letters.length > 0.6;
    if (!shouting) {
      const keywords = plain.match(RFC_KEYWORD);
      if (keywords) rfcKeywords += keywords.length;
      if (EARS.test(plain)) ears++;
    }
    if (!citesRfc2119 && RFC_CITATION.test(plain)) citesRfc2119 = true;
    if (isDirective(plain)) directives++;
  }
  for (const match of doc.text.length > 4_000_000 ? [] : doc.text.matchAll(TABLE_ID_ROW)) {
    const prefix = match[1].split(/[-_]/)[0];
    if (!NOT_REQUIREMENT_PREFIX.test(prefix)) requirementIds.add(match[1]);
  }
  let specHeadings = 0;
  let ordinaryHeadings = 0;
  for (const section of doc.sections) {
    if (SPEC_HEADING.test(section.title)) specHeadings++;
    if (ORDINARY_HEADING.test(section.title)) ordinaryHeadings++;
  }
  return {
    sentences,
    directives,
    rfcKeywords,
    citesRfc2119,
    ears,
    requirementIds: requirementIds.size,
    explicitIds: doc.sections.filter((section) => section.explicitId).length,
    specSyntax: doc.hasSpecSyntax,
    specHeadings,
    ordinaryHeadings,
    selfDescribed: SELF_DESCRIPTION.test(
      doc.sentences
        .slice(0, 12)
        .map((sentence) => sentence.plain)
        .join(' '),
    ),
  };
}

/** A normative sentence addressed to an actor: an imperative, or a short subject followed by a modal. */
export function isDirective(plain: string): boolean {
  const text = plain.trim();
  if (!NORMATIVE.test(text) && !IMPERATIVE.test(text)) return false;
  if (
    /^(?:never|always|do not|don['’]t|avoid|ensure|make sure|prefer|refrain|only|must|be sure)\b/i.test(
      text.replace(/^(?:\*\*[^*]{1,60}\*\*:?\s*|[A-Z][\w ]{0,30}:\s+)/, ''),
    )
  )
    return true;
  if (IMPERATIVE.test(text) && NORMATIVE.test(text)) return true;
  return SUBJECT_MODAL.test(text);
}

/** Thresholds for plain prose: enough directives, and a large enough share of the sentences. */
const MIN_DIRECTIVES = 3;
const MIN_SHARE = 0.2;
const MIN_DIRECTIVES_LONG = 6;
const MIN_SHARE_LONG = 0.12;

/** Why the content makes this a spec, or undefined when it does not. */
export function specByContent(
  doc: SpecDocument,
  relativePath: string,
): { reason: string; kind?: DocumentKind } | undefined {
  const s = contentSignals(doc);
  const kind = documentKind(doc, relativePath);
  if (s.specSyntax) return { reason: 'it uses spec syntax ([^id] markers or **Example**: blocks)', kind };
  if (s.explicitIds) return { reason: `${s.explicitIds} heading(s) carry an explicit {#id}`, kind };
  if (s.ears >= 2)
    return { reason: `${s.ears} EARS requirement(s) ("WHEN ... THE SYSTEM SHALL ...")`, kind: kind ?? 'product-spec' };
  if (s.requirementIds >= 2 || (s.requirementIds >= 1 && (s.directives >= 1 || s.rfcKeywords >= 1)))
    return { reason: `${s.requirementIds} requirement id(s) such as FR-001`, kind: kind ?? 'product-spec' };
  if (s.rfcKeywords >= 3 || (s.rfcKeywords >= 1 && s.citesRfc2119))
    return {
      reason: `${s.rfcKeywords} RFC 2119 keyword(s) in capitals (MUST, SHALL, SHOULD)`,
      kind: kind ?? 'standard',
    };
  const name = relativePath.replace(/\\/g, '/').split('/').pop() ?? '';
  if (s.selfDescribed && s.directives >= 2 && s.specHeadings >= 1 && s.specHeadings >= s.ordinaryHeadings) {
    return { reason: 'it calls itself a specification, policy or proposal and states rules', kind: kind ?? 'policy' };
  }
  // README, CONTRIBUTING and the like tell readers what to do too: for them a density of "should" is not enough
  if (ORDINARY_FILE.test(name)) return undefined;
  if (densityQualifies(s)) {
    return {
      reason: `${s.directives} of its ${s.sentences} sentences are rules addressed to an actor (must, should, never, do not...)`,
      kind,
    };
  }
  return undefined;
}

function densityQualifies(s: ContentSignals): boolean {
  const share = s.sentences ? s.directives / s.sentences : 0;
  return (
    (s.directives >= MIN_DIRECTIVES && share >= MIN_SHARE) ||
    (s.directives >= MIN_DIRECTIVES_LONG && share >= MIN_SHARE_LONG)
  );
}

/** Why a file is not a spec, in words that say what would make it one. */
export function whyNotSpec(doc: SpecDocument | undefined): string {
  if (!doc) return 'the file is not indexed';
  const s = contentSignals(doc);
  return `no spec signals: ${s.directives} of ${s.sentences} sentences are rules (must, should, never...), no RFC 2119 capitals, EARS sentences, requirement ids or {#id} headings`;
}

/**
 * The kind of spec a document is, for rules that read kinds differently: by place first, then by
 * content. Undefined when nothing hints at a kind (a plain prose spec).
 */
export function documentKind(doc: SpecDocument, relativePath: string): DocumentKind | undefined {
  const place = specByPlace(relativePath);
  if (place) return place.kind;
  const s = contentSignals(doc);
  if (
    s.ears ||
    s.requirementIds >= 2 ||
    /\b(?:user stor(?:y|ies)|acceptance criteria|functional requirements)\b/i.test(headingText(doc))
  )
    return 'product-spec';
  if (s.rfcKeywords >= 3 || s.citesRfc2119) return 'standard';
  if (
    /\b(?:polic(?:y|ies)|acceptable use|terms|guidelines|constitution|code of conduct|model spec)\b/i.test(
      headingText(doc),
    )
  )
    return 'policy';
  if (/\b(?:the assistant|the model|you are (?:an?|the) )\b/i.test(doc.text.slice(0, 4000))) return 'policy';
  return undefined;
}

function headingText(doc: SpecDocument): string {
  return doc.sections.map((section) => section.title).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Front matter

/** The YAML front matter at the start of a file (`---` ... `---`): its end offset and its simple `key: value` pairs. */
export interface FrontMatter {
  /** Offset just past the closing `---` line (and its line break). */
  end: number;
  fields: Record<string, string>;
}

const FRONT_MATTER_OPEN = /^---[ \t]*(?:\r\n?|\n)/;
const FRONT_MATTER_CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|$)/m;

/** Reads the front matter at `from` (0, or 1 after a BOM); undefined when the text does not open with one. */
export function readFrontMatter(text: string, from = 0): FrontMatter | undefined {
  const head = text.slice(from, from + 4);
  if (!head.startsWith('---')) return undefined;
  const open = FRONT_MATTER_OPEN.exec(text.slice(from, from + 8));
  if (!open) return undefined;
  const bodyStart = from + open[0].length;
  // front matter is short: look for its end within the first 64 KB only
  const window = text.slice(bodyStart, bodyStart + 65536);
  const close = FRONT_MATTER_CLOSE.exec(window);
  if (!close) return undefined;
  const body = window.slice(0, close.index);
  // a block of Markdown between two rules is not front matter: every line must look like YAML
  const lines = body.split(/\r\n?|\n/).filter((line) => line.trim() !== '');
  if (lines.some((line) => !/^(?:[\w$.-]+\s*:(?:\s|$)|\s+\S|-\s|#)/.test(line))) return undefined;
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const field = /^([\w$.-]+)\s*:\s*(.*)$/.exec(line);
    if (field) fields[field[1]] = field[2].replace(/^["']|["']$/g, '').trim();
  }
  return { end: bodyStart + close.index + close[0].length, fields };
}
