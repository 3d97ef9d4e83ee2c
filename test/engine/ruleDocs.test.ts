import * as assert from 'assert';
import { outdatedRuleDocs } from '../../scripts/ruleDocs';

describe('rule docs', () => {
  it("every page's header and the index docs/rules/README.md match the rules' metadata", () => {
    assert.deepStrictEqual(outdatedRuleDocs(), [], 'run `npm run docs:rules` and commit the pages');
  });
});
