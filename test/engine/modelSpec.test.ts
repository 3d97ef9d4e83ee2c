import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/engine/rules/registry';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MODEL_SPEC_DIR, skipWithoutCorpus } from '../support/corpus';

interface ExpectedFinding {
  rule: string;
  file: string;
  /** 1-based, as an editor shows it. */
  line: number;
  /** A part of the message. */
  message: string;
  /** Why this finding is a real defect of the corpus, checked by hand. */
  verdict: string;
}

function byPosition(
  a: { rule: string; file: string; line: number },
  b: { rule: string; file: string; line: number },
): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule);
}

const EXPECTED: ExpectedFinding[] = JSON.parse(
  readFileSync(path.join(__dirname, 'fixtures', 'model-spec-structural.json'), 'utf8'),
);

describe('Model Spec corpus: structural findings', function () {
  let actual: { rule: string; file: string; line: number; message: string }[] = [];
  let workspace: SpecWorkspace;

  before(async function () {
    skipWithoutCorpus(this);
    workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(MODEL_SPEC_DIR).toString()]);
    await workspace.scan();
    const structural = RULES.filter((rule) => rule.category === 'structure');
    for (const doc of workspace.specDocuments()) {
      for (const finding of lintDocument(doc, workspace, silentLogger, workspace.config, structural)) {
        actual.push({
          rule: finding.ruleId,
          file: workspace.relativePath(doc.uri),
          line: doc.lines.positionAt(finding.span.start).line + 1,
          message: finding.message,
        });
      }
    }
    actual = actual.sort(byPosition);
  });

  it('treats model_spec.md and every example file as spec files', () => {
    const specs = workspace.specDocuments().map((doc) => workspace.relativePath(doc.uri));
    assert.ok(specs.includes('model_spec.md'));
    assert.equal(specs.filter((file) => file.startsWith('examples/')).length, 114);
    assert.ok(!specs.includes('SOURCE.md'), 'SOURCE.md has no spec syntax and must not be linted');
  });

  it('reports exactly the hand-checked defects in test/engine/fixtures/model-spec-structural.json', () => {
    const key = (f: { rule: string; file: string; line: number }) => `${f.file}:${f.line} ${f.rule}`;
    assert.deepEqual(
      actual.map(key),
      [...EXPECTED].sort(byPosition).map(key),
      `the structural findings on the corpus changed:\n  ${actual.map((f) => `${key(f)}: ${f.message}`).join('\n  ')}`,
    );
    for (const expected of EXPECTED) {
      const finding = actual.find((f) => key(f) === key(expected))!;
      assert.ok(
        finding.message.includes(expected.message),
        `${key(expected)}: message "${finding.message}" does not contain "${expected.message}"`,
      );
      assert.ok(
        expected.verdict.startsWith('Real defect'),
        `${key(expected)} is kept in the expected list without a hand-checked verdict`,
      );
    }
  });
});
