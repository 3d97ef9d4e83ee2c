import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseConfig, resolveConfig, type ClarifierConfig } from '../../server/src/engine/config';
import { toDiagnostic } from '../../server/src/engine/diagnostics';
import { lintDocument } from '../../server/src/engine/lint';
import { analyze } from '../../server/src/engine/nlp';
import { AMBIGUITY_RULES } from '../../server/src/engine/rules/ambiguity';
import { readPronoun } from '../../server/src/engine/rules/ambiguity/anaphora';
import type { Finding } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { buildCodeActions, FIX_ALL_KIND } from '../../server/src/engine/languageFeatures/codeActions';
import { RevealPositionCommand } from '../../server/src/protocol';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { ANAPHORA_TSV, skipWithoutCorpus } from '../support/corpus';
import { silentLogger } from '../precision/lintCorpus';

const FIXTURES = path.resolve(__dirname, 'fixtures', 'rules');
const AMBIGUITY_IDS = new Set(AMBIGUITY_RULES.map((r) => r.id));
const noDisk = { readFile: async () => undefined, stat: async () => undefined, readDirectory: async () => [] };

function lintText(text: string, config: ClarifierConfig = {}, name = 'fixture.md') {
  const workspace = new SpecWorkspace(noDisk, silentLogger);
  workspace.setConfig(resolveConfig(config));
  const uri = pathToFileURL(path.join('/tmp/clarifier-fixtures', name)).toString();
  workspace.markAsSpec(uri);
  const doc = workspace.update(uri, text, 1);
  const findings = lintDocument(doc, workspace, silentLogger, workspace.config);
  return { workspace, doc, findings };
}

/** Applies LSP-style edits given as offsets. */
function applyOffsets(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  return applyOffsets(
    text,
    edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText })),
  );
}

describe('ambiguity rules', () => {
  // Fixtures are walked for every rule by the generic registry test in rules.test.ts.

  it('skips code, inline code, quoted strings, link targets and commentary', () => {
    const text = [
      '# Rules',
      '',
      'The client must send `a and/or b` as "x and/or y" to [the page](https://example.com/a-and/or-b).',
      '',
      '!!! meta "Why"',
      '    The assistant should retry several times and/or give up.',
      '',
      '```',
      'The client must retry several times and/or give up.',
      '```',
    ].join('\n');
    const { findings } = lintText(text);
    assert.deepStrictEqual(
      findings.filter((f) => AMBIGUITY_IDS.has(f.ruleId)).map((f) => f.message),
      [],
    );
  });

  it('does not flag "never", "always" or "any" by themselves', () => {
    const { findings } = lintText('# R\n\nThe assistant must never reveal any secret and must always refuse.\n', {
      profile: 'strict',
    });
    assert.deepStrictEqual(
      findings.filter((f) => AMBIGUITY_IDS.has(f.ruleId)).map((f) => f.message),
      [],
    );
  });

  it('a strict-only finding never shows up in the default profile, whichever profile linted the text first', () => {
    const text = '# Errors\n\n- Log errors with sufficient context for debugging\n';
    const vague = (config: ClarifierConfig) =>
      lintText(text, config, 'AGENTS.md').findings.filter((f) => f.ruleId === 'vague-bound').length;
    assert.strictEqual(vague({ profile: 'strict' }), 1, 'strict reads "sufficient" in an agent instruction');
    assert.strictEqual(vague({}), 0, 'the default profile does not, even after strict read the same sentence');
  });

  it('rejects an unknown profile with a message that names the accepted values', () => {
    assert.throws(
      () => parseConfig('{"profile": "loud"}', '.clarifier.json'),
      /"profile" is "loud"; expected "default" or "strict"/,
    );
    assert.strictEqual(parseConfig('{"profile": "strict"}', 'x').profile, 'strict');
  });

  it('reads a long name (a path, an identifier) as one noun at its place, and the words around it', () => {
    const name = 'src/' + 'very_long_module_name/'.repeat(10) + 'handler.ts';
    const text = `It must not call ${name} twice, and it should log it.`;
    const tokens = analyze(text);
    const long = tokens.find((t) => t.text === name);
    assert.ok(long, JSON.stringify(tokens.map((t) => t.text)));
    assert.equal(text.slice(long.start, long.end), name);
    assert.equal(long.pos, 'NOUN');
    const after = tokens.slice(tokens.indexOf(long) + 1).map((t) => [t.text, t.start, t.pos]);
    assert.deepEqual(
      after.map(([word, start]) => text.slice(start as number, (start as number) + (word as string).length)),
      after.map(([word]) => word),
    );
    assert.ok(tokens.find((t) => t.text === 'call')?.negated, 'the negation still reaches "call"');
  });

  it('reads ReqEval pronouns better than always answering the majority label', function () {
    skipWithoutCorpus(this, ANAPHORA_TSV);
    const rows = readFileSync(ANAPHORA_TSV, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    let right = 0;
    let nocuous = 0;
    for (const [, sentence, label] of rows) {
      const at = sentence.indexOf('<referential>');
      const text = sentence.replace('<referential>', '').replace('</referential>', '');
      const tokens = analyze(text);
      const index = tokens.findIndex((t) => t.start === at);
      assert.ok(index >= 0, `pronoun not found in: ${text}`);
      if (label === 'NOCUOUS') nocuous++;
      if (readPronoun(tokens, index).unclear === (label === 'NOCUOUS')) right++;
    }
    const accuracy = right / rows.length;
    const majority = Math.max(nocuous, rows.length - nocuous) / rows.length;
    console.log(
      `      unclear-reference on ReqEval anaphora: ${right}/${rows.length} = ${(accuracy * 100).toFixed(1)}% (majority label: ${(majority * 100).toFixed(1)}%)`,
    );
    assert.ok(accuracy > majority + 0.1, `accuracy ${accuracy} is not clearly above the majority baseline ${majority}`);
  });
});

describe('ambiguity code actions', () => {
  // a product requirements file: vague quantities are read there (see vague-quantity)
  const REQUIREMENTS = 'specs/retries/requirements.md';
  // undefined-term is in no profile since issue 10: these tests turn it on
  const DEFINE_TERMS: ClarifierConfig = { rules: { 'undefined-term': 'info' } };
  const text = [
    '# Retries',
    '',
    'The client must retry several times.',
    '',
    'The server must rotate the logs periodically and/or delete them.',
    '',
    'The proxy must retry several times too.',
    '',
  ].join('\n');

  function actionsFor(source: string, pick: (d: Diagnostic) => boolean, only?: string[], config: ClarifierConfig = {}) {
    const { doc, workspace, findings } = lintText(source, config, REQUIREMENTS);
    const all = findings.map((f: Finding) => toDiagnostic(f, doc, workspace));
    const diagnostics = all.filter(pick);
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return {
      all,
      actions: buildCodeActions({
        uri: doc.uri,
        lines: source.split('\n'),
        params: { textDocument: { uri: doc.uri }, range, context: { diagnostics, only } },
        all,
      }),
      uri: doc.uri,
    };
  }
  const editsOf = (action: CodeAction, uri: string) => action.edit!.changes![uri];

  it('offers the fixes from diagnostic.data, the preferred one marked', () => {
    const { actions } = actionsFor(text, (d) => d.code === 'vague-quantity' && d.range.start.line === 2);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.strictEqual(preferred.length, 1);
    assert.match(preferred[0].title, /Replace with a number: "\[number: …\]"/);
  });

  it('"Disable RULE for this line" inserts a suppression comment that silences the finding', () => {
    const { actions, uri } = actionsFor(text, (d) => d.code === 'and-or');
    const disable = actions.find((a) => a.title === 'Disable and-or for this line')!;
    const fixed = applyTextEdits(text, editsOf(disable, uri));
    assert.ok(fixed.includes('<!-- clarifier-disable-next-line and-or -->\nThe server must rotate'));
    const after = lintText(fixed, {}, REQUIREMENTS).findings;
    assert.ok(!after.some((f) => f.ruleId === 'and-or'));
    assert.ok(
      after.some((f) => f.ruleId === 'vague-quantity'),
      'other rules on that line still report',
    );
  });

  it('"Fix all RULE in this document" fixes every finding of that rule', () => {
    const rfc =
      '# Tokens\n\nThe key words MUST and SHOULD are to be interpreted as described in RFC 2119.\n\nThe client MUST send a token.\n\nThe client should cache the token.\n\nThe server should log every refusal.\n';
    const { actions, uri } = actionsFor(rfc, (d) => d.code === 'weak-modality');
    const fixAll = actions.find((a) => a.title.startsWith('Fix all 2 weak-modality in this document'))!;
    assert.strictEqual(
      fixAll.title,
      'Fix all 2 weak-modality in this document: Make it the keyword "SHOULD"',
      'the title says what it writes',
    );
    const fixed = applyTextEdits(rfc, editsOf(fixAll, uri));
    assert.deepStrictEqual(
      lintText(fixed, {}, REQUIREMENTS)
        .findings.filter((f) => f.ruleId === 'weak-modality')
        .map((f) => f.message),
      [],
    );
    assert.ok(fixed.includes('The client SHOULD cache') && fixed.includes('The server SHOULD log'), fixed);
  });

  it('"Fix all and-or" says it writes "or" (one is enough), and does', () => {
    const source =
      '# Logs\n\nThe server must rotate the logs and/or delete them.\n\nThe client must cache and/or sign each token.\n';
    const { actions, uri } = actionsFor(source, (d) => d.code === 'and-or');
    const fixAll = actions.find((a) => a.title.startsWith('Fix all'))!;
    assert.strictEqual(fixAll.title, 'Fix all 2 and-or in this document: Replace with "or" (one is enough)');
    const fixed = applyTextEdits(source, editsOf(fixAll, uri));
    assert.ok(fixed.includes('rotate the logs or delete') && fixed.includes('cache or sign'), fixed);
  });

  it('a fix that leaves a blank is offered one finding at a time, and the blank stays a finding until filled', () => {
    const { actions, uri } = actionsFor(text, (d) => d.code === 'vague-quantity' && d.range.start.line === 2);
    assert.ok(!actions.some((a) => a.title.startsWith('Fix all')), 'blanks are never filled in bulk');
    const number = actions.find((a) => a.isPreferred)!;
    const fixed = applyTextEdits(text, editsOf(number, uri));
    assert.ok(fixed.includes('retry [number: …] times'), fixed);
    const after = lintText(fixed, {}, REQUIREMENTS).findings;
    assert.ok(
      after.some((f) => f.ruleId === 'placeholder' && fixed.slice(f.span.start, f.span.end) === '[number: …]'),
      'the blank is a placeholder finding',
    );
    const filled = lintText(fixed.replace('[number: …]', '3'), {}, REQUIREMENTS).findings;
    assert.ok(!filled.some((f) => f.ruleId === 'placeholder'), 'filled in, the finding is gone');
  });

  it('source.fixAll.clarifier applies only safe fixes', () => {
    const source =
      '# Weapons\n\nThe assistant must refuse requests about CBRN weapons.\n\nChemical, Biological, Radiological and Nuclear (CBRN) weapons are covered here and/or elsewhere.\n';
    const { actions, uri } = actionsFor(source, () => false, [FIX_ALL_KIND]);
    assert.strictEqual(actions.length, 1);
    const fixed = applyTextEdits(source, editsOf(actions[0], uri));
    assert.ok(fixed.includes('about Chemical, Biological, Radiological and Nuclear (CBRN) weapons'));
    assert.ok(fixed.includes('and/or elsewhere'), 'and/or has no safe fix: it stays');
  });

  it('"Define this term" creates a Definitions section and moves the cursor into the stub', () => {
    const source = readFileSync(path.join(FIXTURES, 'undefined-term', 'basic.md'), 'utf8');
    const { actions, uri } = actionsFor(source, (d) => d.code === 'undefined-term', undefined, DEFINE_TERMS);
    const define = actions.find((a) => a.title.startsWith('Define "Trust Registry"'))!;
    const fixed = applyTextEdits(source, editsOf(define, uri));
    assert.ok(fixed.endsWith('## Definitions\n\n**Trust Registry**: [definition: …]\n'));
    assert.strictEqual(define.command?.command, RevealPositionCommand.id);
    const position = define.command!.arguments![1] as { line: number; character: number };
    assert.ok(fixed.split('\n')[position.line].slice(position.character).startsWith('[definition: …]'));
    assert.ok(!lintText(fixed, DEFINE_TERMS, REQUIREMENTS).findings.some((f) => f.ruleId === 'undefined-term'));
    assert.ok(
      lintText(fixed, {}, REQUIREMENTS).findings.some(
        (f) => f.ruleId === 'placeholder' && fixed.slice(f.span.start, f.span.end) === '[definition: …]',
      ),
      'the empty definition is a placeholder finding',
    );
  });

  it('"Define this term" adds the stub at the end of an existing Definitions section', () => {
    const source =
      '# Spec\n\n## Definitions\n\n**Operator**: the person who runs the service.\n\n## Rules\n\nThe assistant must consult the Trust Registry first.\n\nThe Trust Registry must be reviewed.\n';
    const { actions, uri } = actionsFor(source, (d) => d.code === 'undefined-term', undefined, DEFINE_TERMS);
    const define = actions.find((a) => a.title === 'Define "Trust Registry" in Definitions')!;
    const fixed = applyTextEdits(source, editsOf(define, uri));
    assert.ok(
      fixed.includes(
        '**Operator**: the person who runs the service.\n\n**Trust Registry**: [definition: …]\n\n## Rules',
      ),
      fixed,
    );
    const position = define.command!.arguments![1] as { line: number; character: number };
    assert.ok(fixed.split('\n')[position.line].slice(position.character).startsWith('[definition: …]'));
  });
});
