// `npm run docs:rules`: writes the header of every docs/rules/<id>.md (title, category, severities,
// description) from the rule's metadata, and the index docs/rules/README.md. `--check` writes nothing
// and exits 1 naming the pages that are out of date (test/unit/ruleDocs.test.ts runs the same check).
// The prose below each header is hand-written and kept as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/engine/rules/registry';
import type { Rule } from '../server/src/engine/rules/types';

const DOCS = path.resolve(__dirname, '..', 'docs', 'rules');
const HEADER_END = '<!-- end of generated header -->';

function headerOf(rule: Rule): string {
  const facts = [`**Category:** ${rule.category}`, `**Default severity:** ${rule.defaultSeverity}`];
  if (rule.strictSeverity) facts.push(`**Strict profile:** ${rule.strictSeverity}`);
  if (rule.needsModel) facts.push('**Needs:** a model endpoint');
  return [
    `# ${rule.id}`,
    '',
    '<!-- Generated from the rule\'s metadata by `npm run docs:rules`: change the rule module, not these lines. -->',
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
    '<!-- Generated from the rules\' metadata by `npm run docs:rules`. -->',
    'Every check Thought Clarifier runs, in the order findings are reported. Set a severity per rule with',
    '`clarifier.rules` or `.clarifier.json` (`"off"` disables it, any other severity turns it on). The `strict`',
    'column is the severity under `clarifier.profile: "strict"`: a check joins it when it is right on at least',
    'half of its hand-judged findings (`test/precision/corpus-sample.json`).',
    '',
    '| rule | category | default | strict | what it reports |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    lines.push(`| [${rule.id}](${rule.id}.md) | ${rule.category} | ${rule.defaultSeverity} | ${rule.strictSeverity ?? rule.defaultSeverity} | ${cell(rule.description)}${rule.needsModel ? ' (needs a model endpoint)' : ''} |`);
  }
  return lines.join('\n') + '\n';
}

/** Every generated file with the text it should have; pages without a file get a header and a stub to write. */
export function expectedRuleDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of RULES) {
    const file = path.join(DOCS, `${rule.id}.md`);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const body = current ? bodyOf(current) : '## What it catches\n\nTODO: describe the rule, why it matters in a spec, and how to fix a finding.\n';
    files.set(file, `${headerOf(rule)}\n\n${body}`);
  }
  files.set(path.join(DOCS, 'README.md'), indexOf(RULES));
  return files;
}

/** The generated files whose text on disk differs from the metadata. */
export function outdatedRuleDocs(): string[] {
  return [...expectedRuleDocs()].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => path.relative(process.cwd(), file));
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
    console.log(`wrote ${RULES.length} rule pages and docs/rules/README.md`);
  }
}
