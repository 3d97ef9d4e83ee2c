import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { errorActions, SETTING_FOR_ERROR, testOutcome } from '../../../client/src/outcomes';
import type { ExampleResult } from '../../../server/src/engine/clauseTests/types';
import { ModelError, NO_KEY_MESSAGE } from '../../../server/src/engine/llm/errors';
import { REPO_ROOT } from '../../support/corpus';

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};
const settings = Object.keys(manifest.contributes.configuration.properties);

const result = (extra: Partial<ExampleResult>): ExampleResult => ({
  unitId: 'u',
  exampleKey: 'k',
  title: 'an example',
  uri: 'file:///spec.md',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  status: 'passed',
  cached: false,
  promptTokens: 0,
  completionTokens: 0,
  durationMs: 1,
  ...extra,
});

describe('editor: errors as the user sees them', () => {
  it('an error result is an errored Test Explorer item with its message, never a failure or a skip', () => {
    assert.deepStrictEqual(
      testOutcome(result({ status: 'error', message: 'stopped at the token limit: raise the token limit' })),
      { state: 'errored', message: 'stopped at the token limit: raise the token limit' },
    );
    assert.strictEqual(
      testOutcome(result({ status: 'error' })).message,
      'the example could not be run or graded',
      'an error always carries a message',
    );
    assert.strictEqual(
      testOutcome(
        result({
          status: 'failed',
          verdict: { pass: false, score: 0.1, rationale: 'leaks the address' },
          answer: 'The address is',
        }),
      ).state,
      'failed',
    );
    assert.match(
      testOutcome(
        result({
          status: 'failed',
          verdict: { pass: false, score: 0.1, rationale: 'leaks the address' },
          answer: 'The address is',
        }),
      ).message,
      /leaks the address[\s\S]*Answer:\nThe address is/,
    );
  });

  it('no key: the message names the local-endpoint option, and the buttons set a key or open clarifier.model.baseUrl', () => {
    assert.match(NO_KEY_MESSAGE, /local OpenAI-compatible server.*needs no key.*clarifier\.model\.baseUrl/);
    const actions = errorActions(new ModelError('no-key', NO_KEY_MESSAGE));
    assert.deepStrictEqual(
      actions.map((a) => [a.title, ...a.command]),
      [
        ['Set API Key', 'clarifier.setApiKey'],
        ['Use a Local Server', 'workbench.action.openSettings', 'clarifier.model.baseUrl'],
      ],
    );
  });

  it('every other error opens the one setting its message names, and that setting exists', () => {
    assert.deepStrictEqual(
      errorActions(new ModelError('truncated', 'x')).map((a) => a.command),
      [['workbench.action.openSettings', 'clarifier.model.maxTokens']],
    );
    assert.deepStrictEqual(
      errorActions(new ModelError('timeout', 'x')).map((a) => a.command),
      [['workbench.action.openSettings', 'clarifier.model.timeoutMs']],
    );
    assert.deepStrictEqual(
      errorActions(new ModelError('unauthorized', 'x')).map((a) => a.title),
      ['Set API Key'],
    );
    for (const [kind, setting] of Object.entries(SETTING_FOR_ERROR)) {
      assert.ok(
        settings.includes(setting!) || settings.some((s) => s.startsWith(setting + '.')),
        `${kind} opens ${setting}, which is not a setting`,
      );
    }
  });
});
