import * as assert from 'assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(REPO_ROOT, 'test', 'engine', 'fixtures', 'grammar');
const SNAPSHOT = path.join(FIXTURES, 'spec.snapshot.txt');
const SPEC_TEXT = readFileSync(path.join(FIXTURES, 'spec.md'), 'utf8');

interface ContributedGrammar {
  scopeName: string;
  path: string;
  injectTo?: string[];
}
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars?: ContributedGrammar[] };
};
const contributed = manifest.contributes.grammars ?? [];

interface Token {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function loadOniguruma(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(path.join(REPO_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

/**
 * Loads text.html.markdown from `baseGrammars` (scope name -> file) with our grammars injected exactly as
 * package.json contributes them, so a wrong path or injectTo in the manifest fails these tests too.
 */
async function loadMarkdown(baseGrammars: Record<string, string>, theme?: vsctm.IRawTheme): Promise<vsctm.IGrammar> {
  const grammar = await loadMarkdownRegistry(baseGrammars, theme).loadGrammar('text.html.markdown');
  if (!grammar) throw new Error('text.html.markdown did not load');
  return grammar;
}

function loadMarkdownRegistry(baseGrammars: Record<string, string>, theme?: vsctm.IRawTheme): vsctm.Registry {
  const files: Record<string, string> = { ...baseGrammars };
  for (const g of contributed) files[g.scopeName] = path.join(REPO_ROOT, g.path);
  const registry = new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      if (!file || !existsSync(file)) return null; // e.g. the many languages VS Code's grammar embeds
      return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
    theme,
  });
  return registry;
}

function tokenize(grammar: vsctm.IGrammar, text: string): { lines: string[]; tokens: Token[][] } {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  let state = vsctm.INITIAL;
  const tokens = lines.map((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({
      line,
      start: t.startIndex,
      end: Math.min(t.endIndex, lineText.length),
      text: lineText.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    }));
  });
  return { lines, tokens };
}

function renderSnapshot(lines: string[], tokens: Token[][]): string {
  const out: string[] = [];
  lines.forEach((lineText, i) => {
    out.push(`${String(i + 1).padStart(3)}| ${lineText}`);
    for (const t of tokens[i]) {
      if (t.start === t.end) continue;
      // The root scope is on every token; leaving it out keeps the snapshot readable.
      const scopes = t.scopes.filter((s) => s !== 'text.html.markdown').join(' ');
      out.push(`      ${t.start}-${t.end} ${JSON.stringify(t.text)} ${scopes || '-'}`);
    }
  });
  return out.join('\n') + '\n';
}

/** Tokens of the given line (1-based, as an editor shows it) that overlap the first occurrence of `needle`. */
function tokensOf(doc: { lines: string[]; tokens: Token[][] }, lineNumber: number, needle: string): Token[] {
  const lineText = doc.lines[lineNumber - 1];
  const at = lineText?.indexOf(needle) ?? -1;
  assert.ok(
    at >= 0,
    `fixture line ${lineNumber} should contain ${JSON.stringify(needle)}: ${JSON.stringify(lineText)}`,
  );
  const found = doc.tokens[lineNumber - 1].filter((t) => t.start < at + needle.length && t.end > at);
  assert.ok(found.length > 0, `no token covers ${JSON.stringify(needle)} on line ${lineNumber}`);
  return found;
}

function assertScope(
  doc: { lines: string[]; tokens: Token[][] },
  lineNumber: number,
  needle: string,
  scope: string,
): void {
  for (const t of tokensOf(doc, lineNumber, needle)) {
    assert.ok(
      t.scopes.some((s) => s === scope || s.startsWith(scope + '.')),
      `${JSON.stringify(needle)} on line ${lineNumber} should be coloured as ${scope}, ` +
        `but ${JSON.stringify(t.text)} has ${t.scopes.join(' ')}`,
    );
  }
}

function assertNoScope(
  doc: { lines: string[]; tokens: Token[][] },
  lineNumber: number,
  needle: string,
  scope: string,
): void {
  for (const t of tokensOf(doc, lineNumber, needle)) {
    const hit = t.scopes.find((s) => s === scope || s.startsWith(scope + '.'));
    assert.ok(!hit, `${JSON.stringify(needle)} on line ${lineNumber} should not be ${scope}, but has ${hit}`);
  }
}

function lineOf(doc: { lines: string[] }, needle: string, from = 1): number {
  const index = doc.lines.findIndex((l, i) => i >= from - 1 && l.includes(needle));
  assert.ok(index >= 0, `fixture should contain ${JSON.stringify(needle)}`);
  return index + 1;
}

/** What a spec author sees in the fixture, checked construct by construct; shared by both base grammars. */
function behaviourSuite(load: () => Promise<{ lines: string[]; tokens: Token[][] }>): void {
  let doc: { lines: string[]; tokens: Token[][] };
  before(async function () {
    doc = await load();
  });

  it('colours heading attributes: braces, id, keys, known authority values apart from other values', () => {
    const l = lineOf(doc, '{#who_decides authority=root');
    assertScope(doc, l, '{', 'punctuation.definition.attributes.begin.clarifier');
    assertScope(doc, l, 'who_decides', 'variable.other.constant.id.clarifier');
    assertScope(doc, l, 'authority', 'variable.other.property.authority.clarifier');
    assertScope(doc, l, 'root', 'constant.language.authority.root.clarifier');
    assertScope(doc, l, 'tags', 'variable.other.property.clarifier');
    assertScope(doc, l, 'under_18,safety', 'string.unquoted.attribute-value.clarifier');
    assertScope(doc, l, '}', 'punctuation.definition.attributes.end.clarifier');
    // The heading text itself stays a heading.
    assertNoScope(doc, l, 'Who decides', 'meta.attributes.heading.clarifier');

    const legacy = lineOf(doc, 'authority=platform');
    assertScope(doc, legacy, 'platform', 'constant.language.authority.platform.clarifier');
    const unknown = lineOf(doc, 'authority=everyone');
    assertScope(doc, unknown, 'everyone', 'string.unquoted.attribute-value.authority.clarifier');
    assertNoScope(doc, unknown, 'everyone', 'constant.language');
    assertScope(doc, unknown, 'aside', 'entity.name.type.class.clarifier');
    assertScope(doc, unknown, '"bring your own"', 'string.quoted.double.attribute-value.clarifier');
    assertNoScope(doc, lineOf(doc, 'A lone {brace}'), '{brace}', 'meta.attributes.heading.clarifier');
  });

  it('never gives heading attributes a scope that default themes paint as an error', () => {
    // invalid is red everywhere; entity.other.attribute-name is #E50000 in VS Code's light themes, which
    // authors read as "something is wrong with my heading id".
    const attributeLines = doc.lines.map((text, i) => ({ text, i })).filter(({ text }) => /^#+ .*\{#/.test(text));
    assert.ok(attributeLines.length >= 4, 'the fixture should have headings with attributes');
    for (const { i } of attributeLines) {
      for (const t of doc.tokens[i].filter((tok) => tok.scopes.includes('meta.attributes.heading.clarifier'))) {
        const bad = t.scopes.find((s) => s.startsWith('invalid') || s.startsWith('entity.other.attribute-name'));
        assert.ok(!bad, `${JSON.stringify(t.text)} on line ${i + 1} has ${bad}`);
      }
    }
  });

  it('colours [^id] markers and [?](#id) references in prose, not in code spans', () => {
    const l = lineOf(doc, '[^ch4r]');
    assertScope(doc, l, 'ch4r', 'constant.other.reference.link.marker.clarifier');
    assertScope(doc, l, '[^', 'meta.marker.clarifier');
    assertScope(doc, l, '?', 'keyword.other.reference.title-placeholder.clarifier');
    assertScope(doc, l, 'night_walks', 'markup.underline.link.reference.clarifier');
    const code = lineOf(doc, '`[^not_a_marker]`');
    assertNoScope(doc, code, 'not_a_marker', 'meta.marker.clarifier');
    assertNoScope(doc, code, '[link](#who_decides)', 'meta.link.reference.clarifier');
  });

  it('colours the !!! meta admonition line and keeps its indented body prose, not code', () => {
    const l = lineOf(doc, '!!! meta');
    assertScope(doc, l, '!!!', 'punctuation.definition.admonition.clarifier');
    assertScope(doc, l, 'meta', 'keyword.other.admonition.clarifier');
    assertScope(doc, l, 'Why this rule exists', 'string.quoted.double.admonition.title.clarifier');
    const body = lineOf(doc, 'Walks after dark');
    assertScope(doc, body, 'Walks after dark', 'meta.admonition.body.clarifier');
    assertNoScope(doc, body, 'Walks after dark', 'markup.raw');
    assertScope(doc, body, '[^c0mm]', 'meta.marker.clarifier');
    assertNoScope(doc, lineOf(doc, 'Back outside the commentary'), 'Back outside', 'meta.admonition');
  });

  it('colours **Example**: titles, with references inside the title', () => {
    const l = lineOf(doc, '**Example**:');
    assertScope(doc, l, 'Example', 'keyword.other.example.clarifier');
    assertScope(doc, l, 'a member asks', 'entity.name.section.example.clarifier');
    assertScope(doc, l, 'who_decides', 'markup.underline.link.reference.clarifier');
  });

  it('colours transcript role tags and their attributes instead of the XML grammar', () => {
    for (const role of ['system', 'developer', 'user', 'assistant', 'tool']) {
      const l = lineOf(doc, `<${role}`);
      assertScope(doc, l, role, `entity.name.tag.role.${role}.clarifier`);
      assertScope(doc, l, '<', 'punctuation.definition.tag.begin.clarifier');
      assertNoScope(doc, l, role, 'entity.name.tag.xml');
      assertNoScope(doc, l, role, 'entity.name.tag.localname.xml');
      const close = lineOf(doc, `</${role}>`, l);
      assertScope(doc, close, role, `entity.name.tag.role.${role}.clarifier`);
    }
    const call = lineOf(doc, 'recipient="lending_log"');
    assertScope(doc, call, 'recipient', 'entity.other.attribute-name.clarifier');
    assertScope(doc, call, '"lending_log"', 'string.quoted.double.clarifier');
    assertScope(doc, call, 'end_turn', 'entity.other.attribute-name.clarifier');
    assertScope(doc, lineOf(doc, '<tool name='), '"lending_log"', 'string.quoted.double.clarifier');
    assertScope(doc, lineOf(doc, '<comparison>'), 'comparison', 'entity.name.tag.comparison.clarifier');
    // A tag that is not a transcript role is left to the XML grammar.
    assertNoScope(doc, lineOf(doc, '<settings>'), 'settings', 'entity.name.tag.role');
  });

  it('gives GOOD, BAD and OK labels distinct scopes, with the section and reason of BAD[#id]: reason', () => {
    const good = lineOf(doc, '<!-- GOOD -->');
    assertScope(doc, good, 'GOOD', 'markup.inserted.label.good.clarifier');
    assertScope(doc, good, '<!--', 'comment.block.label.clarifier');
    assertNoScope(doc, good, 'GOOD', 'comment.block.xml');
    const bad = lineOf(doc, '<!-- BAD: ignores');
    assertScope(doc, bad, 'BAD', 'markup.deleted.label.bad.clarifier');
    assertScope(doc, bad, 'ignores the charter', 'meta.label.reason.clarifier');
    const badRef = lineOf(doc, '<!-- BAD[#who_decides]');
    assertScope(doc, badRef, 'BAD', 'markup.deleted.label.bad.clarifier');
    assertScope(doc, badRef, 'who_decides', 'markup.underline.link.reference.clarifier');
    assertScope(doc, badRef, 'overrides the root rule', 'meta.label.reason.clarifier');
    assertScope(doc, lineOf(doc, '<!-- OK -->'), 'OK', 'markup.changed.label.ok.clarifier');
    const comma = lineOf(doc, '<!-- GOOD, because');
    assertScope(doc, comma, 'GOOD', 'markup.inserted.label.good.clarifier');
    assertScope(doc, comma, 'because it names the rule', 'meta.label.reason.clarifier');
    assertNoScope(doc, lineOf(doc, 'an ordinary XML comment'), 'ordinary', 'comment.block.label.clarifier');
  });

  it('leaves other code blocks and HTML comments in prose alone', () => {
    const py = lineOf(doc, '# <user> and <!-- GOOD -->');
    assertNoScope(doc, py, 'user', 'entity.name.tag.role');
    assertNoScope(doc, py, 'GOOD', 'markup.inserted.label.good.clarifier');
    assertNoScope(doc, py, '# <user>', 'meta.attributes.heading.clarifier');
    const prose = lineOf(doc, 'outside a transcript');
    assertNoScope(doc, prose, 'GOOD', 'markup.inserted.label.good.clarifier');
  });
}

describe('TextMate injection grammar', () => {
  it('is contributed in package.json for Markdown, with grammar files whose scope names match', () => {
    const scopes = contributed.map((g) => g.scopeName).sort();
    assert.deepStrictEqual(scopes, ['markdown.clarifier.injection', 'markdown.clarifier.transcript.injection']);
    for (const g of contributed) {
      assert.deepStrictEqual(g.injectTo, ['text.html.markdown'], `${g.scopeName} injectTo`);
      const file = path.join(REPO_ROOT, g.path);
      assert.ok(existsSync(file), `${g.path} (from package.json) does not exist`);
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { scopeName: string; injectionSelector?: string };
      assert.strictEqual(raw.scopeName, g.scopeName, `${g.path} declares another scopeName than package.json`);
      assert.match(raw.injectionSelector ?? '', /^L:text\.html\.markdown\b/, `${g.path} injectionSelector`);
    }
  });

  describe('on the stand-in Markdown grammar', () => {
    const load = async () =>
      tokenize(
        await loadMarkdown({
          'text.html.markdown': path.join(FIXTURES, 'markdown.standin.tmLanguage.json'),
          'text.xml': path.join(FIXTURES, 'xml.standin.tmLanguage.json'),
        }),
        SPEC_TEXT,
      );

    it('matches the token snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', async () => {
      const doc = await load();
      const actual = renderSnapshot(doc.lines, doc.tokens);
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        writeFileSync(SNAPSHOT, actual);
        return;
      }
      assert.ok(
        existsSync(SNAPSHOT),
        `${SNAPSHOT} is missing: run the test once with UPDATE_SNAPSHOTS=1 and review it`,
      );
      assert.strictEqual(
        actual,
        readFileSync(SNAPSHOT, 'utf8'),
        'tokens differ from the snapshot; if intended, rerun with UPDATE_SNAPSHOTS=1',
      );
    });

    behaviourSuite(load);
  });

  describe("on VS Code's own Markdown and XML grammars", function () {
    const extensions = findVsCodeExtensionsFolder();
    const load = async () =>
      tokenize(
        await loadMarkdown({
          'text.html.markdown': path.join(extensions ?? '', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
          'text.xml': path.join(extensions ?? '', 'xml', 'syntaxes', 'xml.tmLanguage.json'),
        }),
        SPEC_TEXT,
      );
    before(function () {
      // VS Code's grammars are not on npm; the offline end-to-end set-up (code-server) brings a copy.
      if (!extensions) this.skip();
    });
    behaviourSuite(load);

    it("paints heading ids and attributes in no default theme's error colour", async () => {
      const themesDir = path.join(extensions ?? '', 'theme-defaults', 'themes');
      const themeFiles = readdirSync(themesDir).filter((f) => f.endsWith('.json'));
      assert.ok(
        themeFiles.some((f) => /light/.test(f)),
        `${themesDir} should hold VS Code's light themes`,
      );
      const grammars = {
        'text.html.markdown': path.join(extensions ?? '', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
        'text.xml': path.join(extensions ?? '', 'xml', 'syntaxes', 'xml.tmLanguage.json'),
      };
      const lines = SPEC_TEXT.split(/\r?\n/).filter((l) => /^#+ .*\{#/.test(l));
      for (const file of themeFiles) {
        const rules = themeTokenColors(path.join(themesDir, file));
        const registry = loadMarkdownRegistry(grammars, {
          settings: [{ settings: { foreground: '#000000' } }, ...rules],
        });
        const grammar = await registry.loadGrammar('text.html.markdown');
        if (!grammar) throw new Error('text.html.markdown did not load');
        const colorMap = registry.getColorMap();
        const errorColour = (colorOfScope(rules, 'invalid') ?? '').toUpperCase();
        for (const line of lines) {
          const attributesAt = line.indexOf('{#');
          const { tokens } = grammar.tokenizeLine2(line, vsctm.INITIAL);
          for (let i = 0; i < tokens.length; i += 2) {
            const start = tokens[i];
            const end = i + 2 < tokens.length ? tokens[i + 2] : line.length;
            if (start < attributesAt || !line.slice(start, end).trim()) continue;
            // Foreground colour index: bits 15-23 of vscode-textmate's encoded token attributes.
            const colour = (colorMap[(tokens[i + 1] >>> 15) & 0x1ff] ?? '').toUpperCase();
            const text = JSON.stringify(line.slice(start, end));
            assert.notStrictEqual(
              colour,
              errorColour,
              `${file}: ${text} in ${JSON.stringify(line)} has the colour of invalid code`,
            );
            assert.ok(!isSignalRed(colour), `${file}: ${text} in ${JSON.stringify(line)} is signal red (${colour})`);
          }
        }
      }
    });
  });
});

/** VS Code's built-in extensions folder: CLARIFIER_VSCODE_EXTENSIONS, else the code-server of the e2e tools cache. */
function findVsCodeExtensionsFolder(): string | undefined {
  const hasGrammar = (dir: string) =>
    existsSync(path.join(dir, 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'));
  const explicit = process.env.CLARIFIER_VSCODE_EXTENSIONS;
  if (explicit) {
    if (!hasGrammar(explicit))
      throw new Error(
        `CLARIFIER_VSCODE_EXTENSIONS=${explicit} has no markdown-basics/syntaxes/markdown.tmLanguage.json`,
      );
    return explicit;
  }
  const tools = process.env.E2E_TOOLS ?? path.join(os.homedir(), '.cache', 'vscode-e2e-tools');
  if (!existsSync(tools)) return undefined;
  for (const entry of readdirSync(tools).sort().reverse()) {
    const dir = path.join(tools, entry, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');
    if (hasGrammar(dir)) return dir;
  }
  return undefined;
}

type ThemeRule = vsctm.IRawTheme['settings'][number];

/** A theme's tokenColors with those of the themes it includes first, as VS Code merges them. */
function themeTokenColors(file: string): ThemeRule[] {
  // Theme files are JSON with comments and trailing commas.
  const text = readFileSync(file, 'utf8')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/,(\s*[}\]])/g, '$1');
  const theme = JSON.parse(text) as { include?: string; tokenColors?: unknown };
  const inherited = theme.include ? themeTokenColors(path.join(path.dirname(file), theme.include)) : [];
  return inherited.concat(Array.isArray(theme.tokenColors) ? (theme.tokenColors as ThemeRule[]) : []);
}

function colorOfScope(rules: ThemeRule[], scope: string): string | undefined {
  let colour: string | undefined;
  for (const rule of rules) {
    const scopes = typeof rule.scope === 'string' ? rule.scope.split(',').map((s) => s.trim()) : (rule.scope ?? []);
    if (scopes.includes(scope) && rule.settings.foreground) colour = rule.settings.foreground;
  }
  return colour;
}

/** A bright red such as #E50000 or #F44747 (strings' darker #A31515 and #CE9178 are not). */
function isSignalRed(hex: string): boolean {
  const m = /^#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})/.exec(hex);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  return r >= 0xc0 && g <= 0x50 && b <= 0x50;
}
