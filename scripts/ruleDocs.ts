// `npm run docs:rules`: writes the header of every docs/rules/<id>.md (title, category, severities,
// description) from the rule's metadata, the index docs/rules/README.md, and the `clarifier.rules`
// setting's schema in package.json (one known key per rule id). `--check` writes nothing
// and exits 1 naming the pages that are out of date (test/engine/ruleDocs.test.ts runs the same check).
// The prose below each header is hand-written and kept as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine/rules/registry';
import { DOCS_BASE_URL, docsUrl, type Rule } from '../server/src/engine/rules/types';

const DOCS = path.resolve(__dirname, '..', 'docs', 'rules');
const HEADER_END = '<!-- end of generated header -->';

function headerOf(rule: Rule): string {
  const facts = [`**Category:** ${rule.category}`, `**Default severity:** ${rule.defaultSeverity}`];
  if (rule.strictSeverity) facts.push(`**Strict profile:** ${rule.strictSeverity}`);
  if (rule.needsModel) facts.push('**Needs:** a model endpoint');
  return [
    `# ${rule.id}`,
    '',
    "<!-- Generated from the rule's metadata by `npm run docs:rules`: change the rule module, not these lines. -->",
    facts.join(' · '),
    '',
    `> ${rule.description}`,
    HEADER_END,
  ].join('\n');
}

/** The hand-written part of a page: after the generated header, or after the title and metadata line of a page written before. */
function bodyOf(text: string): string {
  const end = text.indexOf(HEADER_END);
  if (end >= 0) return text.slice(end + HEADER_END.length).replace(/^\n+/, '');
  const lines = text.split('\n');
  let start = 0;
  if (lines[0]?.startsWith('# ')) start = 1;
  while (start < lines.length && lines[start].trim() === '') start++;
  // the metadata line of the older formats: "Category: ... Default severity: ..." or "**Default severity:** ..."
  if (/(Category|Default severity)/.test(lines[start] ?? '') && start < 6) start++;
  while (start < lines.length && lines[start].trim() === '') start++;
  return lines.slice(start).join('\n');
}

function indexOf(rules: readonly Rule[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Rules',
    '',
    "<!-- Generated from the rules' metadata by `npm run docs:rules`. -->",
    'Every check Thought Clarifier runs, in the order findings are reported. Set a severity per rule with',
    '`clarifier.rules` or `.clarifier.json` (`"off"` disables it, any other severity turns it on). The `strict`',
    'column is the severity under `clarifier.profile: "strict"`: a check joins it when it is right on at least',
    'half of its hand-judged findings (`test/precision/corpus-sample.json`).',
    '',
    '| rule | category | default | strict | what it reports |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    lines.push(
      `| [${rule.id}](${rule.id}.md) | ${rule.category} | ${rule.defaultSeverity} | ${rule.strictSeverity ?? rule.defaultSeverity} | ${cell(rule.description)}${rule.needsModel ? ' (needs a model endpoint)' : ''} |`,
    );
  }
  return lines.join('\n') + '\n';
}

const PACKAGE_JSON = path.resolve(__dirname, '..', 'package.json');
const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'];
const SEVERITY_DESCRIPTIONS = [
  'Not checked.',
  'Shown faintly in the editor (dotted underline), not in the Problems panel.',
  'An information finding (blue).',
  'A warning (yellow).',
  'An error (red).',
];

/**
 * The `clarifier.rules` setting: every rule id a known key with its description and a link to its page,
 * so the Settings UI offers the ids and a typo is flagged in settings.json.
 */
export function rulesSettingSchema(rules: readonly Rule[]): object {
  const severityOf = (rule: Rule) => (rule.defaultSeverity === 'information' ? 'info' : rule.defaultSeverity);
  const properties: Record<string, object> = {};
  for (const rule of rules) {
    properties[rule.id] = {
      type: 'string',
      enum: SEVERITY_SETTINGS,
      enumDescriptions: SEVERITY_DESCRIPTIONS,
      markdownDescription: `${escapeMarkdown(rule.description)}${rule.needsModel ? ' Needs a model endpoint.' : ''} Default: \`${severityOf(rule)}\`. [Documentation](${docsUrl(rule.id)})`,
      // the Settings UI's "Add Item" key dropdown shows only the plain description beside each id
      description: `${rule.description}${rule.needsModel ? ' Needs a model endpoint.' : ''} Default: ${severityOf(rule)}.`,
    };
  }
  return {
    type: 'object',
    scope: 'resource',
    default: {},
    properties,
    additionalProperties: false,
    markdownDescription:
      'Severity per rule id, e.g. `{"dangling-reference": "warning"}`; `off` disables a rule, any other severity turns it on. ' +
      `A \`.clarifier.json\` at the workspace root is read first; these settings override it. [Every rule](${DOCS_BASE_URL}README.md)`,
  };
}

/** Descriptions are plain text: `<id>` would vanish as an HTML tag and `[^id]` read as a link in the Settings UI. */
function escapeMarkdown(text: string): string {
  return text.replace(/([[\]<>*_])/g, '\\$1');
}

/** JSON as Prettier writes package.json (its json-stringify style: every array and object expanded). */
function packageJsonText(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n' + indent);
}

/** package.json with its `clarifier.rules` setting regenerated; the rest of the file is left as it is. */
function packageJsonWithRulesSetting(current: string, rules: readonly Rule[]): string {
  const key = '"clarifier.rules": ';
  const at = current.indexOf(key);
  if (at < 0) throw new Error(`package.json has no ${key.trim()} setting to regenerate`);
  const start = at + key.length;
  let depth = 0;
  let inString = false;
  let end = start;
  for (; end < current.length; end++) {
    const c = current[end];
    if (inString) {
      if (c === '\\') end++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) break;
  }
  const lineStart = current.lastIndexOf('\n', at) + 1;
  const indent = current.slice(lineStart, at);
  const block = packageJsonText(rulesSettingSchema(rules), indent);
  return current.slice(0, start) + block + current.slice(end + 1);
}

/** Every generated file with the text it should have; pages without a file get a header and a stub to write. */
export function expectedRuleDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of RULES) {
    const file = path.join(DOCS, `${rule.id}.md`);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const body = current
      ? bodyOf(current)
      : '## What it catches\n\nTODO: describe the rule, why it matters in a spec, and how to fix a finding.\n';
    files.set(file, `${headerOf(rule)}\n\n${body}`);
  }
  files.set(path.join(DOCS, 'README.md'), indexOf(RULES));
  files.set(PACKAGE_JSON, packageJsonWithRulesSetting(readFileSync(PACKAGE_JSON, 'utf8'), RULES));
  return files;
}

/** The generated files whose text on disk differs from the metadata. */
export function outdatedRuleDocs(): string[] {
  return [...expectedRuleDocs()]
    .filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text)
    .map(([file]) => path.relative(process.cwd(), file));
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const outdated = outdatedRuleDocs();
    if (outdated.length) {
      console.error(`Out of date with the rules' metadata (run npm run docs:rules): ${outdated.join(', ')}`);
      process.exit(1);
    }
    console.log('docs/rules is up to date.');
  } else {
    for (const [file, text] of expectedRuleDocs()) writeFileSync(file, text);
    console.log(
      `wrote ${RULES.length} rule pages, docs/rules/README.md and the clarifier.rules setting in package.json`,
    );
  }
}
