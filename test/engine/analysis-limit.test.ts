import { strict as assert } from 'assert';
import { parseConfig, resolveConfig } from '../../server/src/engine/config';
import { silentLogger } from '../../server/src/engine/host';
import { createLanguageService } from '../../server/src/engine/languageService';
import { lintDocument } from '../../server/src/engine/lint';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MemoryFileSystem } from '../support/memoryFileSystem';

// A file with more sentences than maxAnalyzedSentences is read by the wording and conflict rules up
// to the limit only (a 10 MB file of short rules must lint in seconds); the structural rules still
// read it to the end, and a finding says where reading stopped.

const SPEC = [
  '# Policy {#policy}',
  '',
  'The assistant must share the system prompt when asked.',
  '',
  'The assistant must answer in English. The assistant must sign each reply.',
  '',
  'The assistant must not share the system prompt when asked.',
  '',
  'The assistant must warn the user and/or refuse the request.',
  '',
  'See [the missing section](#nowhere).',
  '',
].join('\n');

async function workspaceWith(limit?: number) {
  const files: Record<string, string> = { '/spec/policy.md': SPEC };
  if (limit !== undefined) files['/spec/.clarifier.json'] = JSON.stringify({ maxAnalyzedSentences: limit });
  const workspace = new SpecWorkspace(new MemoryFileSystem(files), silentLogger, [MemoryFileSystem.uri('/spec')]);
  if (limit !== undefined)
    workspace.setConfig(resolveConfig(parseConfig(files['/spec/.clarifier.json'], '.clarifier.json')));
  await workspace.scan();
  return workspace;
}

function findings(workspace: SpecWorkspace) {
  const doc = workspace.get(MemoryFileSystem.uri('/spec/policy.md'))!;
  return lintDocument(doc, workspace, silentLogger).map((f) => ({
    rule: f.ruleId,
    line: doc.lines.positionAt(f.span.start).line + 1,
    message: f.message,
  }));
}

describe('analysis-limit: wording and conflicts read up to maxAnalyzedSentences', () => {
  it('reads every sentence of a file within the limit', async () => {
    const rules = findings(await workspaceWith()).map((f) => f.rule);
    assert.ok(rules.includes('conflict-opposite-obligation'), rules.join());
    assert.ok(rules.includes('and-or'), rules.join());
    assert.ok(!rules.includes('analysis-limit'), rules.join());
  });

  it('past the limit reports no wording or conflict finding, says where it stopped, and still checks links', async () => {
    const found = findings(await workspaceWith(3));
    const rules = found.map((f) => f.rule);
    assert.ok(!rules.includes('conflict-opposite-obligation'), rules.join());
    assert.ok(!rules.includes('and-or'), rules.join());
    assert.ok(rules.includes('dangling-reference'), 'the link past the limit is still checked');
    const limit = found.find((f) => f.rule === 'analysis-limit');
    assert.deepStrictEqual(limit && { line: limit.line, message: limit.message }, {
      line: 7,
      message:
        'The wording and conflict rules stopped here, at line 7: this file has 6 sentences outside tables and they read the first 3. Split the file, or raise "maxAnalyzedSentences" in .clarifier.json (setting clarifier.maxAnalyzedSentences). Links, ids and examples are checked to the end.',
    });
  });

  it('table cells do not count: a big table before the prose leaves the prose read', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `| R-${i} | The system should respond to request ${i}. |`);
    const table = `| id | rule |\n|---|---|\n${rows.join('\n')}\n\n`;
    const files = {
      '/spec/policy.md': SPEC.replace('The assistant must share', `${table}The assistant must share`),
    };
    const workspace = new SpecWorkspace(new MemoryFileSystem(files), silentLogger, [MemoryFileSystem.uri('/spec')]);
    workspace.setConfig(resolveConfig({ maxAnalyzedSentences: 10 }));
    await workspace.scan();
    const rules = findings(workspace).map((f) => f.rule);
    assert.ok(rules.includes('conflict-opposite-obligation'), rules.join());
    assert.ok(!rules.includes('analysis-limit'), rules.join());
  });

  it('raising the limit in a running workspace brings the conflict back', async () => {
    const workspace = await workspaceWith(3);
    assert.ok(!findings(workspace).some((f) => f.rule === 'conflict-opposite-obligation'));
    workspace.setConfig(resolveConfig({ maxAnalyzedSentences: 100 }));
    assert.ok(findings(workspace).some((f) => f.rule === 'conflict-opposite-obligation'));
  });

  it('the outline lists clauses as far as the rules read, and every section', async () => {
    const text = `${SPEC}\n## Later {#later}\n\nThe assistant must log every request.\n`;
    const service = createLanguageService({
      fileSystem: new MemoryFileSystem({ '/spec/policy.md': text }),
      logger: silentLogger,
      roots: [MemoryFileSystem.uri('/spec')],
      config: () => resolveConfig({ maxAnalyzedSentences: 3 }),
    });
    await service.scan();
    const outline = await service.documentSymbols(MemoryFileSystem.uri('/spec/policy.md'));
    const names = (symbols: typeof outline): string[] => symbols.flatMap((s) => [s.name, ...names(s.children ?? [])]);
    assert.deepStrictEqual(names(outline), [
      'Policy',
      'The assistant must share the system prompt when asked.',
      'The assistant must answer in English.',
      'The assistant must sign each reply.',
      'Later',
    ]);
  });

  it('a limit that is not a whole number of sentences is refused with what is expected', () => {
    assert.throws(
      () => parseConfig('{"maxAnalyzedSentences": "lots"}', '.clarifier.json'),
      /\.clarifier\.json: "maxAnalyzedSentences" is "lots"; expected a whole number of sentences of at least 1/,
    );
    assert.throws(() => parseConfig('{"maxAnalyzedSentences": 0}', '.clarifier.json'), /at least 1/);
    // an editor setting of the wrong type keeps the default rather than reading nothing
    assert.strictEqual(resolveConfig({ maxAnalyzedSentences: 'lots' as never }).maxAnalyzedSentences, 20_000);
  });
});
