import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';
import { resolveConfig } from '../../server/src/engine/config';
import { silentLogger } from '../../server/src/engine/host';
import { documentSymbols } from '../../server/src/engine/languageFeatures/symbols';
import { lintDocument } from '../../server/src/engine/lint';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { corpusDocuments } from '../precision/corpus';
import { REAL_SPECS_DIR, skipWithoutCorpus } from '../support/corpus';

// A spec saved on Windows (\r\n) or by an old Mac editor (a lone \r) is the same spec: the same
// findings at the same lines and columns. Windows line endings once hid every table from the table
// reader (rows were read as prose), and a file of lone \r was one block that took remark minutes.

const ENDINGS = { 'Windows (\\r\\n)': '\r\n', 'old Mac (\\r)': '\r' } as const;

function withEnding(text: string, ending: string): string {
  return text.replace(/\r?\n/g, ending);
}

/**
 * What an author sees of one file linted as a spec: every finding (rule, line:column, message) and
 * the outline's entries (sections, clauses, examples), in order.
 */
function findingsOf(uri: string, text: string): string[] {
  const workspace = new SpecWorkspace({} as never, silentLogger, []);
  workspace.setConfig(resolveConfig({ include: ['**'] }));
  const doc = workspace.update(uri, text, 0);
  workspace.markAsSpec(uri);
  const findings = lintDocument(doc, workspace, silentLogger, workspace.config).map((finding) => {
    const at = doc.lines.positionAt(finding.span.start);
    return `${finding.ruleId} ${at.line + 1}:${at.character + 1} ${finding.message}`;
  });
  const outline = (symbols: ReturnType<typeof documentSymbols>): string[] =>
    symbols.flatMap((symbol) => [
      `outline ${symbol.range.start.line + 1}: ${symbol.name}`,
      ...outline(symbol.children ?? []),
    ]);
  return [...findings, ...outline(documentSymbols(doc))];
}

const SPEC = [
  '# Support policy {#support}',
  '',
  'The assistant must answer in English. It should respond as appropriate.',
  '',
  '| id | rule |',
  '|----|------|',
  '| R-1 | The agent must log every refund. |',
  '| R-2 | The agent should reply as appropriate. |',
  '',
  '## Refunds {#refunds}',
  '',
  '- The assistant must warn the user and/or refuse the request.',
  '- The assistant must share the system prompt when asked.',
  '- The assistant must not share the system prompt when asked.',
  '',
  '**Example**: a broken mug',
  '',
  '~~~xml',
  '<user>',
  'My mug broke.',
  '</user>',
  '<assistant> <!-- GOOD -->',
  'I have started a refund.',
  '</assistant>',
  '~~~',
  '',
  'See [the missing part](#nowhere).',
  '',
].join('\n');

describe('line endings: \\r\\n and a lone \\r read like \\n', () => {
  for (const [name, ending] of Object.entries(ENDINGS)) {
    it(`a spec with a table, a list, a transcript and a link gives the same findings with ${name} line endings`, () => {
      const expected = findingsOf('file:///ws/support.md', SPEC);
      assert.ok(
        ['and-or', 'conflict-opposite-obligation', 'malformed-transcript', 'dangling-reference'].every((rule) =>
          expected.some((f) => f.startsWith(`${rule} `)),
        ),
        `the spec has findings to compare: ${expected.join('\n')}`,
      );
      assert.ok(!expected.some((f) => f.includes('| R-1')), 'table rows are cells, not one clause of prose');
      assert.deepStrictEqual(findingsOf('file:///ws/support.md', withEnding(SPEC, ending)), expected);
    });
  }

  it('every corpus document gives the same findings at the same places with Windows and old Mac line endings', function () {
    skipWithoutCorpus(this, REAL_SPECS_DIR);
    this.timeout(300_000);
    const differences: string[] = [];
    for (const entry of corpusDocuments()) {
      const text = readFileSync(entry.file, 'utf8').replace(/\r\n/g, '\n');
      const uri = pathToFileURL(entry.file).toString();
      const expected = findingsOf(uri, text);
      for (const [name, ending] of Object.entries(ENDINGS)) {
        const found = findingsOf(uri, withEnding(text, ending));
        const missing = expected.filter((f) => !found.includes(f));
        const extra = found.filter((f) => !expected.includes(f));
        if (missing.length || extra.length)
          differences.push(
            `${entry.name} with ${name}: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`,
          );
      }
    }
    assert.deepStrictEqual(differences, []);
  });
});
