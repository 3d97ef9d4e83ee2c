// Hostile and unusual input: the engine must neither crash nor hang (mocha's timeout bounds each test;
// nothing here asserts speed), and positions must stay in UTF-16 code units as LSP requires.
import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver-types';
import { toDiagnostic } from '../../server/src/engine/diagnostics';
import { silentLogger, type FileSystem, type Logger } from '../../server/src/engine/host';
import { createLanguageService } from '../../server/src/engine/languageService';
import { lintDocument } from '../../server/src/engine/lint';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { generatedSpec } from '../support/hostileInputs';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const ROOT = 'file:///robust';
const emptyFs: FileSystem = {
  readFile: async () => undefined,
  stat: async () => undefined,
  readDirectory: async () => [],
};

/** Parses and lints one in-memory file as a spec; fails the test if anything was logged as an error. */
function lint(text: string, name = 'spec.md'): { diagnostics: Diagnostic[]; workspace: SpecWorkspace; uri: string } {
  const errors: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    error: (message, data) => errors.push(`${message} ${JSON.stringify(data)}`),
  };
  const workspace = new SpecWorkspace(emptyFs, logger, [ROOT]);
  const uri = `${ROOT}/${name}`;
  workspace.markAsSpec(uri);
  const doc = workspace.update(uri, text, 1);
  const diagnostics = lintDocument(doc, workspace, logger).map((finding) => toDiagnostic(finding, doc, workspace));
  assert.deepStrictEqual(errors, [], 'no rule failed');
  for (const d of diagnostics) {
    assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0, 'non-negative positions');
    assert.ok(
      d.range.start.line < doc.lines.lineCount && d.range.end.line < doc.lines.lineCount,
      'positions inside the document',
    );
  }
  return { diagnostics, workspace, uri };
}

/** The text a single-line range covers, sliced with JS string indices of its line. */
function slice(text: string, d: Diagnostic): string {
  assert.strictEqual(d.range.start.line, d.range.end.line);
  return text.split(/\r\n|\r|\n/)[d.range.start.line].slice(d.range.start.character, d.range.end.character);
}

const byCode = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);

describe('robustness: malformed input never crashes the engine', () => {
  it('an empty file, a lone newline and whitespace', () => {
    for (const text of ['', '\n', '\r\n', '   \t  ', '\ufeff']) {
      const { workspace, uri } = lint(text);
      assert.strictEqual(workspace.get(uri)!.sections.length, 0);
    }
  });

  it('malformed Markdown: unbalanced brackets, broken heading attributes, deep nesting, unclosed comments', () => {
    const text = [
      '# Heading {#id authority=',
      '## {#}',
      '###### {#only-id}',
      '[?](#',
      '[unclosed link](#missing',
      '[^',
      '[^]',
      '**bold *italic `code',
      '>'.repeat(2000) + ' deep quote',
      Array.from({ length: 120 }, (_, i) => ' '.repeat(i * 2) + '- item').join('\n'),
      '['.repeat(5000) + ']'.repeat(10),
      '<!-- a comment that never ends',
      '# after the comment {#after}',
    ].join('\n');
    lint(text);
  });

  it('an unclosed fence and an unclosed transcript', () => {
    const unclosedTranscript =
      '# Tools {#tools}\n\n**Example**: a transcript cut short\n\n~~~xml\n<comparison>\n<user>\nWhat is the time?\n<assistant>\n<!-- GOOD -->\nNoon.\n';
    const { workspace, uri } = lint(unclosedTranscript);
    const example = workspace.get(uri)!.examples[0];
    assert.ok(example, 'the example is still in the model');
    lint('# Code {#code}\n\n```ts\nconst x = 1;\n\n# not a heading {#inside-fence}\n');
    lint('~~~\n~~~~\n```\n````xml\n<user>\n');
  });

  it('binary garbage: NUL bytes, control characters and lone surrogates', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const bytes = Buffer.alloc(256 * 1024, 0);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    lint(bytes.toString('utf8'));
    lint(bytes.toString('latin1'));
    lint('# Head {#h}\n\n\ud800\udc00\ud800 lone \udfff surrogates [?](#h)\u0000\u0001\u0007\n');
  });

  it('a lone surrogate in a link target or a marker id (an editor buffer over LSP) is a finding, not a throw', async () => {
    const errors: string[] = [];
    const files: Record<string, string> = {
      '/ws/AGENTS.md': '# Rules\n\nYou must run the tests.\n',
      '/ws/spec.md': '# T {#t}\n\nSee [x](a\ud800.md).\n',
      '/ws/m.md': '# M {#m}\n\nThe assistant must answer [^a\ud800].\n',
    };
    const service = createLanguageService({
      fileSystem: new MemoryFileSystem(files),
      logger: { ...silentLogger, error: (message, data) => errors.push(`${message} ${JSON.stringify(data)}`) },
      roots: [MemoryFileSystem.uri('/ws')],
    });
    await service.scan();
    const codes: Record<string, unknown[]> = {};
    for (const file of Object.keys(files)) {
      const uri = MemoryFileSystem.uri(file);
      // as the editor sends it: the buffer keeps the lone surrogate (reading from disk would have replaced it)
      service.updateDocument(uri, files[file], 2);
      codes[file] = (await service.computeDiagnostics(uri)).map((d) => d.code);
      service.documentLinks(uri);
      service.definition(uri, { line: 2, character: 10 });
    }
    assert.deepStrictEqual(errors, [], 'nothing failed inside');
    assert.deepStrictEqual(codes, {
      '/ws/AGENTS.md': [],
      '/ws/spec.md': ['dangling-reference'],
      '/ws/m.md': ['marker-without-example'],
    });
  });

  it('a 10 MB generated spec', function () {
    // generous: about 150,000 blocks parsed cold on a shared machine; a hang would still fail
    this.timeout(600_000);
    const { text, sections } = generatedSpec();
    const { workspace, uri, diagnostics } = lint(text);
    const doc = workspace.get(uri)!;
    assert.strictEqual(doc.sections.length, sections, 'every generated section is in the model');
    assert.strictEqual(doc.examples.length, sections - 2);
    assert.deepStrictEqual(
      byCode(diagnostics, 'dangling-reference').map((d) => slice(text, d)),
      ['nowhere'],
      'read to its end',
    );
  });
});

describe('robustness: line endings, BOM and UTF-16 positions', () => {
  const spec =
    '# Start {#start}\n\nIntro 😀👍🏽 text with [?](#missing-target) inside.\n\n## Next {#next}\n\nOther 𝒳 prose [?](#also-missing).\n';

  it('ranges after astral characters (emoji) are in UTF-16 code units', () => {
    const { diagnostics } = lint(spec);
    const dangling = byCode(diagnostics, 'dangling-reference');
    assert.deepStrictEqual(
      dangling.map((d) => slice(spec, d)),
      ['missing-target', 'also-missing'],
    );
    // '😀👍🏽' is 6 UTF-16 code units but 3 code points: the start must count code units
    assert.strictEqual(dangling[0].range.start.character, spec.split('\n')[2].indexOf('missing-target'));
  });

  it('CRLF line endings give the same positions as LF', () => {
    const crlf = spec.replace(/\n/g, '\r\n');
    const lf = lint(spec).diagnostics.map((d) => d.range);
    const { diagnostics, workspace, uri } = lint(crlf);
    assert.deepStrictEqual(
      diagnostics.map((d) => d.range),
      lf,
    );
    assert.deepStrictEqual(
      byCode(diagnostics, 'dangling-reference').map((d) => slice(crlf, d)),
      ['missing-target', 'also-missing'],
    );
    assert.deepStrictEqual(
      workspace.get(uri)!.sections.map((s) => s.title),
      ['Start', 'Next'],
    );
  });

  it('old Mac CR-only line endings are lines too', () => {
    const cr = spec.replace(/\n/g, '\r');
    const { diagnostics } = lint(cr);
    for (const d of byCode(diagnostics, 'dangling-reference'))
      assert.ok(['missing-target', 'also-missing'].includes(slice(cr, d)), slice(cr, d));
  });

  it('a BOM does not hide the first heading', () => {
    const { workspace, uri } = lint('\ufeff' + spec);
    assert.deepStrictEqual(
      workspace.get(uri)!.sections.map((s) => s.id),
      ['start', 'next'],
    );
  });
});
