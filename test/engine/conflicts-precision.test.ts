import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { findRule } from '../../server/src/engine/rules/registry';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MODEL_SPEC_DIR, skipWithoutCorpus } from '../support/corpus';

interface Judged {
  rule: string;
  clause: string;
  other: string;
  verdict: 'true-positive' | 'false-positive';
}

const LIST = path.resolve(__dirname, '..', 'precision', 'conflicts-model-spec.json');

describe('conflicts on the Model Spec (hand-judged list)', () => {
  it('reports exactly the judged findings, with precision of at least 70%', async function () {
    skipWithoutCorpus(this);
    const judged = JSON.parse(readFileSync(LIST, 'utf8')) as { reported: Judged[] };
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(MODEL_SPEC_DIR).toString()]);
    await workspace.scan();
    assert.ok(
      workspace.specDocuments().some((doc) => doc.uri.endsWith('model_spec.md')),
      `no model_spec.md under ${MODEL_SPEC_DIR}`,
    );
    const pairs = new Set<string>();
    for (const doc of workspace.specDocuments()) {
      for (const finding of lintDocument(doc, workspace, silentLogger)) {
        if (findRule(finding.ruleId)?.category !== 'conflict') continue;
        const related = finding.related?.[0];
        const clause = doc.text.slice(finding.span.start, finding.span.end);
        const otherDoc = related && workspace.get(related.uri);
        const other = otherDoc ? otherDoc.text.slice(related.span.start, related.span.end) : '';
        pairs.add(JSON.stringify([finding.ruleId, ...[clause, other].sort()]));
      }
    }
    const expected = new Set(
      judged.reported.map((entry) => JSON.stringify([entry.rule, ...[entry.clause, entry.other].sort()])),
    );
    const unjudged = [...pairs].filter((pair) => !expected.has(pair));
    const gone = [...expected].filter((pair) => !pairs.has(pair));
    assert.deepStrictEqual(
      { unjudged, gone },
      { unjudged: [], gone: [] },
      'judge new findings by hand in test/precision/conflicts-model-spec.json; drop entries no longer reported',
    );
    if (judged.reported.length) {
      const precision =
        judged.reported.filter((entry) => entry.verdict === 'true-positive').length / judged.reported.length;
      assert.ok(precision >= 0.7, `precision ${(precision * 100).toFixed(0)}% is below 70%: tune the rules`);
    }
  });
});
