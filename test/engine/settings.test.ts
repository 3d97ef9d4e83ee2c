import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  LOCAL_CONCURRENCY,
  LOCAL_TIMEOUT_MS,
  resolveModelSettings,
  settingNumber,
  settingText,
} from '../../server/src/engine/llm/settings';
import { RULES } from '../../server/src/engine/rules/registry';
import { docsUrl } from '../../server/src/engine/rules/types';
import { REPO_ROOT } from '../support/corpus';

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SettingSchema>;
  additionalProperties?: boolean | SettingSchema;
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const settings = manifest.contributes.configuration.properties;

describe('settings in the Settings UI (issue 14 item 5)', () => {
  it('no setting is null-typed or null by default: the Settings UI can only send those to settings.json', () => {
    const nullable = Object.entries(settings).filter(
      ([, s]) => s.default === null || (Array.isArray(s.type) && s.type.includes('null')) || s.type === 'null',
    );
    assert.deepStrictEqual(
      nullable.map(([key]) => key),
      [],
    );
  });

  it('clarifier.rules offers every rule id as a known key, with its description, default and a link to its page', () => {
    const rules = settings['clarifier.rules'];
    assert.deepStrictEqual(
      Object.keys(rules.properties ?? {}),
      RULES.map((rule) => rule.id),
      'run `npm run docs:rules` to regenerate the keys',
    );
    assert.strictEqual(rules.additionalProperties, false, 'a misspelt rule id is flagged in settings.json');
    for (const rule of RULES) {
      const key = rules.properties![rule.id];
      assert.deepStrictEqual(key.enum, ['off', 'hint', 'info', 'warning', 'error']);
      assert.strictEqual(key.enumDescriptions?.length, key.enum.length, `${rule.id}: every severity is described`);
      assert.ok(
        key.markdownDescription?.includes(`](${docsUrl(rule.id)})`),
        `${rule.id} links to its page: ${key.markdownDescription}`,
      );
      // the first words of the rule's own description, with Markdown's special characters escaped
      const words = rule.description.split(/[[\]<>*_]/)[0];
      assert.ok(key.markdownDescription!.startsWith(words), `${rule.id}: ${key.markdownDescription}`);
    }
  });

  it('the profile options are described, and the descriptions that point at docs are links', () => {
    const profile = settings['clarifier.profile'];
    assert.strictEqual(profile.enumDescriptions?.length, profile.enum?.length);
    for (const [key, s] of Object.entries(settings)) {
      const text = s.markdownDescription ?? s.description ?? '';
      assert.ok(text.trim(), `${key} has a description`);
      assert.ok(!/see docs\//i.test(text), `${key} says "see docs/" in plain text: ${text}`);
    }
  });

  it('an empty grader name or URL means the model under test, 0 means automatic, and null (written before) reads the same', () => {
    const local = 'http://127.0.0.1:9/v1';
    for (const empty of ['', '  ', null, undefined]) {
      const resolved = resolveModelSettings({
        baseUrl: local,
        model: 'm',
        graderModel: settingText(empty),
        graderBaseUrl: settingText(empty),
      });
      assert.strictEqual(resolved.grader.model, 'm');
      assert.strictEqual(resolved.grader.baseUrl, local);
    }
    for (const automatic of [0, null, undefined]) {
      const resolved = resolveModelSettings({
        baseUrl: local,
        concurrency: settingNumber(automatic),
        timeoutMs: settingNumber(automatic),
      });
      assert.strictEqual(resolved.concurrency, LOCAL_CONCURRENCY);
      assert.strictEqual(resolved.candidate.timeoutMs, LOCAL_TIMEOUT_MS);
    }
    const set = resolveModelSettings({
      baseUrl: local,
      model: 'm',
      graderModel: settingText(' judge '),
      concurrency: settingNumber(3),
      timeoutMs: settingNumber(5000),
    });
    assert.deepStrictEqual([set.grader.model, set.concurrency, set.candidate.timeoutMs], ['judge', 3, 5000]);
  });
});
