// One failing rule, stage or clause never silences the others: each failure is an internal-error
// finding on the file it happened in, and everything else still runs. Each input the issue named is
// reproduced here.
import { strict as assert } from 'assert';
import { parseSpec } from '../../server/src/engine/parser';
import { analyze } from '../../server/src/engine/nlp';
import { clauseForm } from '../../server/src/engine/conflicts/form';
import { silentLogger, type Logger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/engine/rules/registry';
import type { Rule } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MemoryFileSystem } from '../support/memoryFileSystem';

function workspaceOf(files: Record<string, string>, logger: Logger = silentLogger): SpecWorkspace {
  const fs = new MemoryFileSystem();
  const workspace = new SpecWorkspace(fs, logger, [MemoryFileSystem.uri('/ws')]);
  for (const [name, text] of Object.entries(files)) {
    const uri = MemoryFileSystem.uri(`/ws/${name}`);
    workspace.update(uri, text, 1);
    workspace.markAsSpec(uri);
  }
  return workspace;
}

describe('isolation: one failure never silences the rest', () => {
  it('a rule that throws becomes an internal-error finding naming it, logged with file, stage and rule; the other rules still report', () => {
    const logged: Record<string, unknown>[] = [];
    const logger: Logger = { ...silentLogger, error: (message, data) => logged.push({ message, ...data }) };
    const text =
      '# Refunds {#refunds}\n\nThe agent must refund orders as appropriate.\n\nSee [the policy](#missing).\n';
    const workspace = workspaceOf({ 'spec.md': text }, logger);
    const broken: Rule = {
      id: 'broken-rule',
      description: 'throws',
      category: 'ambiguity',
      defaultSeverity: 'warning',
      check: () => {
        throw new Error('boom');
      },
    };
    const findings = lintDocument(
      workspace.get(MemoryFileSystem.uri('/ws/spec.md'))!,
      workspace,
      logger,
      workspace.config,
      [broken, ...RULES],
    );
    const internal = findings.filter((f) => f.ruleId === 'internal-error');
    assert.equal(internal.length, 1);
    assert.match(internal[0].message, /failed in the rule broken-rule \(Error: boom\); the other rules still ran/);
    assert.ok(
      findings.some((f) => f.ruleId === 'dangling-reference'),
      'the structural rules still ran',
    );
    assert.ok(
      findings.some((f) => f.ruleId === 'escape-clause' || f.ruleId === 'vague-qualifier'),
      'the ambiguity rules still ran',
    );
    assert.deepEqual(
      logged.map((l) => [l.message, l.file, l.stage, l.rule]),
      [['internal error', MemoryFileSystem.uri('/ws/spec.md'), 'rule', 'broken-rule']],
    );
  });

  it('"The APIs can, and cannot, evolve in a minor release." does not disable conflict checks for its file or any other', () => {
    const a =
      '# Versions {#versions}\n\nThe APIs can, and cannot, evolve in a minor release.\n\nThe service must log every request.\n\nThe service must not log every request.\n';
    const b = '# Retries {#retries}\n\nThe client must retry twice.\n\nThe client must not retry twice.\n';
    const workspace = workspaceOf({ 'a.md': a, 'b.md': b });
    const lintOf = (name: string) =>
      lintDocument(workspace.get(MemoryFileSystem.uri(`/ws/${name}`))!, workspace, silentLogger);
    const inA = lintOf('a.md');
    const inB = lintOf('b.md');
    assert.equal(
      inB.filter((f) => f.ruleId === 'conflict-opposite-obligation').length,
      2,
      'the other file keeps its conflicts',
    );
    assert.equal(
      inA.filter((f) => f.ruleId === 'conflict-opposite-obligation').length,
      2,
      'the same file keeps its other conflicts',
    );
    // the conflict reader reads the sentence (the tagger gives "cannot" before a comma no lemma)
    assert.deepEqual(
      inA.filter((f) => f.ruleId === 'internal-error'),
      [],
    );
    assert.deepEqual(
      inB.filter((f) => f.ruleId === 'internal-error'),
      [],
    );
  });

  it('reads "can, and cannot," as a clause: every token has a lemma, the form names the action', () => {
    for (const text of [
      'The APIs can, and cannot, evolve in a minor release.',
      'Users cannot, and must not, share keys.',
    ]) {
      for (const token of analyze(text)) assert.equal(typeof token.lemma, 'string', `${token.text} in ${text}`);
    }
    const form = clauseForm('The APIs can, and cannot, evolve in a minor release.');
    assert.equal(form.action, 'evolve');
  });

  it('a malformed link target [b](#%) is a finding, not a crash', () => {
    const text = '# Links {#links}\n\nSee [b](#%).\n\nAlso [c](other%zz.md) and [d](#links).\n';
    const workspace = workspaceOf({ 'spec.md': text });
    const findings = lintDocument(workspace.get(MemoryFileSystem.uri('/ws/spec.md'))!, workspace, silentLogger);
    const malformed = findings.filter(
      (f) => f.ruleId === 'dangling-reference' && /not valid percent-encoding/.test(f.message),
    );
    assert.deepEqual(
      malformed.map((f) => text.slice(f.span.start, f.span.end)),
      ['%', 'other%zz.md'],
    );
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'internal-error'),
      [],
    );
  });

  it('3,000 nested ">" or list markers neither overflow the stack nor lose the text after them', () => {
    for (const deep of [
      '>'.repeat(3000) + ' The agent must answer as appropriate.',
      '- '.repeat(3000) + 'The agent must answer as appropriate.',
      Array.from({ length: 3000 }, (_, i) => ' '.repeat(Math.min(i, 3)) + '>').join('') + ' x',
    ]) {
      const text = `# Deep {#deep}\n\n${deep}\n\n## After {#after}\n\nThe agent must not guess.\n`;
      const doc = parseSpec('file:///ws/deep.md', text);
      assert.deepEqual(doc.problems ?? [], [], 'no stage failed');
      assert.deepEqual(
        doc.sections.map((s) => s.id),
        ['deep', 'after'],
      );
      assert.ok(doc.sentences.some((s) => s.plain === 'The agent must not guess.'));
    }
  });

  it('keeps positions right after YAML front matter, and reads its fields', () => {
    const text =
      '---\ndescription: Rules for tests\napplyTo: "**/*.test.ts"\n---\n# Tests\n\nName each test after what a user notices.\n';
    const doc = parseSpec('file:///ws/.github/instructions/tests.instructions.md', text);
    assert.deepEqual(
      doc.sections.map((s) => [s.title, doc.lines.positionAt(s.headingSpan.start).line]),
      [['Tests', 4]],
    );
    assert.equal(doc.frontMatter?.applyTo, '**/*.test.ts');
    assert.deepEqual(
      parseSpec('file:///ws/a.md', '---\nJust a rule, then a heading\n---\n').sections.length,
      1,
      'a thematic break and a setext heading are not front matter',
    );
  });
});
