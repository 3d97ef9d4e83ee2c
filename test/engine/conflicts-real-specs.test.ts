import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig } from '../../server/src/engine/config';
import { conflictFindings } from '../../server/src/engine/conflicts/analysis';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MODEL_SPEC_DIR } from '../support/corpus';

const REAL_SPECS = path.join(path.dirname(MODEL_SPEC_DIR), 'real-specs');
const LIST = path.resolve(__dirname, '..', 'precision', 'conflicts-real-specs.json');

describe('conflicts on real specs of four kinds (hand-judged list)', function () {
  this.timeout(120000);
  it('reports no contradiction that is not judged in test/precision/conflicts-real-specs.json', async function () {
    if (!existsSync(REAL_SPECS)) {
      console.log(`      skipped: ${REAL_SPECS} is absent (../shared/corpus/real-specs beside the repo)`);
      this.skip();
    }
    const judged = JSON.parse(readFileSync(LIST, 'utf8')) as {
      reported: { rule: string; clause: string; other: string }[];
    };
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(REAL_SPECS).toString()]);
    workspace.setConfig(resolveConfig({}));
    await workspace.scan();
    for (const doc of workspace.allDocuments()) workspace.markAsSpec(doc.uri);
    const reported = new Set<string>();
    for (const doc of workspace.allDocuments()) {
      for (const finding of conflictFindings(workspace, doc.uri)) {
        if (finding.ruleId === 'near-duplicate-clause') continue;
        const related = finding.related?.[0];
        const other = related && workspace.get(related.uri);
        reported.add(
          JSON.stringify([
            finding.ruleId,
            ...[
              doc.text.slice(finding.span.start, finding.span.end),
              other ? other.text.slice(related.span.start, related.span.end) : '',
            ].sort(),
          ]),
        );
      }
    }
    const expected = new Set(
      judged.reported.map((entry) => JSON.stringify([entry.rule, ...[entry.clause, entry.other].sort()])),
    );
    assert.deepStrictEqual(
      { unjudged: [...reported].filter((x) => !expected.has(x)), gone: [...expected].filter((x) => !reported.has(x)) },
      { unjudged: [], gone: [] },
    );
  });
});
