import { strict as assert } from 'assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfig, resolveConfig } from '../../server/src/engine/config';
import { toDiagnostic, type DiagnosticData } from '../../server/src/engine/diagnostics';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/engine/rules/registry';
import { FIX_BLANK } from '../../server/src/engine/rules/ambiguity/blanks';
import type { Finding, Rule } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { REPO_ROOT } from '../support/corpus';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const FIXTURES = path.join(REPO_ROOT, 'test', 'engine', 'fixtures', 'rules');
const ROOT = '/fixture';
const EXPECT = /^[ \t]*<!--\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*-->[ \t]*$/;

interface Mark {
  file: string;
  line: number;
  rule: string;
}

/** The text a Markdown preview shows (the words of text nodes; raw HTML is not shown). */
function renderedText(markdown: string): string {
  const words: string[] = [];
  const walk = (node: MdNode) => {
    if (node.type === 'text' || node.type === 'inlineCode') words.push(node.value ?? '');
    for (const child of node.children ?? []) walk(child);
  };
  walk(unified().use(remarkParse).parse(markdown) as MdNode);
  return words.join('');
}
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

function readTree(folder: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) Object.assign(files, readTree(full, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(full, 'utf8');
  }
  return files;
}

/** `<!-- expect: rule -->` lines: each names a finding on the next line that is not a mark (0-based). */
function marksIn(file: string, text: string): Mark[] {
  const lines = text.split(/\r?\n/);
  const marks: Mark[] = [];
  let pending: string[] = [];
  lines.forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (match) {
      pending.push(...match[1].split(',').map((rule) => rule.trim()));
      return;
    }
    for (const rule of pending) marks.push({ file, line: index, rule });
    pending = [];
  });
  assert.equal(pending.length, 0, `${file}: an expect mark on the last line marks nothing`);
  return marks;
}

async function lintFolder(files: Record<string, string>) {
  const fs = new MemoryFileSystem();
  for (const [relative, text] of Object.entries(files)) fs.write(`${ROOT}/${relative}`, text);
  const workspace = new SpecWorkspace(fs, silentLogger, [MemoryFileSystem.uri(ROOT)]);
  if (files['.clarifier.json'] !== undefined)
    workspace.setConfig(resolveConfig(parseConfig(files['.clarifier.json'], '.clarifier.json')));
  await workspace.scan();
  // Ambiguity fixtures are plain prose: a fixture is a spec because the test says so.
  for (const doc of workspace.allDocuments())
    if (!/(^|\/)not-a-spec[^/]*\.md$/.test(doc.uri)) workspace.markAsSpec(doc.uri);
  const findings: { file: string; finding: Finding }[] = [];
  for (const doc of workspace.specDocuments()) {
    // a fixture named strict-*.md is linted with the strict profile
    const config = /(^|\/)strict[^/]*\.md$/.test(doc.uri)
      ? { ...workspace.config, profile: 'strict' as const }
      : workspace.config;
    for (const finding of lintDocument(doc, workspace, silentLogger, config))
      findings.push({ file: workspace.relativePath(doc.uri), finding });
  }
  return { workspace, findings };
}

function describeMark(m: Mark) {
  return `${m.rule} at ${m.file}:${m.line + 1}`;
}

describe('rules against their fixtures', () => {
  it('every registered rule has a unique id, a fixture folder and a docs page', () => {
    const ids = RULES.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate rule ids in ${ids.join(', ')}`);
    for (const rule of RULES) {
      assert.match(rule.id, /^[a-z]+(?:-[a-z]+)*$/, `rule id "${rule.id}" is not kebab-case`);
      assert.ok(
        existsSync(path.join(FIXTURES, rule.id)),
        `rule ${rule.id} has no fixture folder test/engine/fixtures/rules/${rule.id}/`,
      );
      const docs = path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`);
      assert.ok(existsSync(docs), `rule ${rule.id} has no docs page docs/rules/${rule.id}.md`);
      assert.match(
        readFileSync(docs, 'utf8'),
        new RegExp(`clarifier-disable-next-line ${rule.id}`),
        `docs/rules/${rule.id}.md does not show how to suppress the rule`,
      );
    }
  });

  it('no rule throws on malformed, empty or odd files', async () => {
    const errors: string[] = [];
    const logger = {
      ...silentLogger,
      error: (message: string, data?: Record<string, unknown>) => errors.push(`${message} ${JSON.stringify(data)}`),
    };
    const fs = new MemoryFileSystem({
      '/odd/spec.md':
        '\ufeff# Odd {#odd authority=}\r\n\r\nText[^] and [^a b] and [?](#) and [x](.md#).\r\n\r\n**Example**:\r\n\r\n~~~xml\r\n<comparison><assistant> <!-- BAD[# -->\r\n',
      '/odd/examples/empty.md': '',
      '/odd/examples/header-only.md': 'Examples for [^] in :\n',
      '/odd/examples/garbage.md': '\u0000\u0001\uffff<<<>>>~~~\n<!--\n' + '\ud83d\ude00'.repeat(50),
      '/odd/examples/odd.md': 'Examples for [^odd] in Nowhere:\n\n**Example**: x\n\n~~~xml\n<user\n~~~\n',
    });
    const workspace = new SpecWorkspace(fs, logger, [MemoryFileSystem.uri('/odd')]);
    await workspace.scan();
    for (const doc of workspace.allDocuments()) {
      workspace.markAsSpec(doc.uri);
      lintDocument(doc, workspace, logger);
    }
    assert.deepEqual(errors, []);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const folder = path.join(FIXTURES, rule.id);
      /** The fixture's own rule and every structural rule: a fixture must be clean of the others' false positives. */
      const checked = (candidate: Rule) => candidate.id === rule.id || candidate.category === 'structure';
      const checkedIds = new Set(RULES.filter(checked).map((r) => r.id));

      it('reports exactly the marked findings', async function () {
        // a model-tier rule reports only what a model run stored, so its fixture marks nothing;
        // test/engine/model/conflictModel.test.ts checks it against a local model server instead
        // internal-error reports failures of Thought Clarifier itself, which no spec text can cause once
        // fixed; test/engine/isolation.test.ts injects failures instead
        if (!existsSync(folder) || rule.needsModel || rule.reportsFaults) this.skip();
        const files = readTree(folder);
        const marks = Object.entries(files).flatMap(([file, text]) =>
          file.endsWith('.md') ? marksIn(file, text) : [],
        );
        assert.ok(
          marks.some((m) => m.rule === rule.id),
          `the fixture of ${rule.id} marks no finding of it`,
        );
        for (const mark of marks)
          assert.ok(
            RULES.some((r) => r.id === mark.rule),
            `mark for unknown rule ${describeMark(mark)}`,
          );
        const { workspace, findings } = await lintFolder(files);
        const actual: Mark[] = findings
          .filter(({ finding }) => checkedIds.has(finding.ruleId))
          .map(({ file, finding }) => ({
            file,
            rule: finding.ruleId,
            line: workspace.get(MemoryFileSystem.uri(`${ROOT}/${file}`))!.lines.positionAt(finding.span.start).line,
          }));
        const key = (m: Mark) => `${m.file}:${m.line + 1} ${m.rule}`;
        const sortKeys = (list: Mark[]) => list.map(key).sort();
        const messages = findings
          .map(({ file, finding }) => `${file}: ${finding.ruleId}: ${finding.message}`)
          .join('\n  ');
        assert.deepEqual(
          sortKeys(actual),
          sortKeys(marks.filter((m) => checkedIds.has(m.rule))),
          `findings differ from the marks; the findings were:\n  ${messages}`,
        );
      });

      it('its fixes remove the finding and change nothing outside their edits', async function () {
        if (!existsSync(folder)) this.skip();
        const files = readTree(folder);
        const { workspace, findings } = await lintFolder(files);
        for (const { file, finding } of findings.filter(
          ({ finding }) => finding.ruleId === rule.id && finding.fixes?.length,
        )) {
          const doc = workspace.get(MemoryFileSystem.uri(`${ROOT}/${file}`))!;
          const data = toDiagnostic(finding, doc, workspace).data as DiagnosticData;
          for (const fix of data.fixes ?? []) {
            const before = TextDocument.create(doc.uri, 'markdown', 1, doc.text);
            const after = TextDocument.applyEdits(before, fix.edits);
            assert.notEqual(after, doc.text, `fix "${fix.title}" changes nothing`);
            const first = Math.min(...fix.edits.map((edit) => before.offsetAt(edit.range.start)));
            const last = Math.max(...fix.edits.map((edit) => before.offsetAt(edit.range.end)));
            const tail = doc.text.length - last;
            assert.equal(
              after.slice(0, first),
              doc.text.slice(0, first),
              `fix "${fix.title}" changed text before its edit`,
            );
            assert.equal(
              after.slice(after.length - tail),
              doc.text.slice(last),
              `fix "${fix.title}" changed text after its edit`,
            );
            // the title says what the fix writes: a short replacement is quoted in it
            for (const edit of fix.edits) {
              const written = edit.newText.trim();
              if (
                written.length >= 2 &&
                written.length <= 40 &&
                !written.includes('\n') &&
                !/[[\]()]/.test(written.replace(FIX_BLANK, ''))
              ) {
                assert.ok(
                  fix.title.includes(written),
                  `fix "${fix.title}" writes "${written}" without saying so in its title`,
                );
              }
            }
            // a blank is text the preview shows: an HTML-like <condition> would render as nothing
            for (const edit of fix.edits)
              assert.doesNotMatch(
                edit.newText,
                /<(?!!--)[a-z][\w -]*>/i,
                `fix "${fix.title}" writes an HTML-like blank that Markdown renders as nothing`,
              );
            for (const blank of fix.edits.flatMap((edit) => edit.newText.match(FIX_BLANK) ?? [])) {
              assert.ok(
                renderedText(after).includes(blank),
                `fix "${fix.title}" writes ${blank}, which the rendered Markdown does not show`,
              );
            }
            const findingLine = doc.lines.positionAt(finding.span.start).line;
            // a fix that moves the cursor to a stub it inserts elsewhere (define a term) may edit away from the finding
            if (fix.cursorOffset === undefined)
              for (const edit of fix.edits)
                assert.equal(
                  edit.range.start.line,
                  findingLine,
                  `fix "${fix.title}" edits line ${edit.range.start.line + 1}, away from its finding on line ${findingLine + 1}`,
                );

            // a fix that leaves a blank for the author (a reason) clears the finding only once it is filled in;
            // a blank it writes into the text is visible when rendered and stays a placeholder finding until filled
            if (fix.needsInput) {
              const blanks = fix.edits.flatMap((edit) => edit.newText.match(FIX_BLANK) ?? []);
              if (blanks.length) {
                const relinted = await lintFolder({ ...files, [file]: after });
                const placeholders = relinted.findings.filter(
                  (f) => f.file === file && f.finding.ruleId === 'placeholder',
                ).length;
                const before = findings.filter((f) => f.file === file && f.finding.ruleId === 'placeholder').length;
                assert.ok(
                  placeholders >= before + blanks.length,
                  `fix "${fix.title}" leaves ${blanks.join(', ')} but the placeholder rule does not report it`,
                );
              }
              continue;
            }
            const relinted = await lintFolder({ ...files, [file]: after });
            const same = relinted.findings.filter((f) => f.file === file && f.finding.ruleId === rule.id);
            const original = findings.filter((f) => f.file === file && f.finding.ruleId === rule.id);
            // a conflict is one finding on each of its two clauses: settling it clears both
            const count = (list: typeof findings) =>
              list.filter(
                (f) => f.file === file && f.finding.ruleId === rule.id && f.finding.message === finding.message,
              ).length;
            assert.equal(
              count(relinted.findings),
              count(findings) - 1,
              `after "${fix.title}" the finding "${finding.message}" is still reported`,
            );
            assert.ok(
              same.length < original.length,
              `after "${fix.title}" there are as many ${rule.id} findings as before`,
            );
            const otherRules = (list: typeof findings) => list.filter((f) => f.finding.ruleId !== rule.id).length;
            assert.ok(
              otherRules(relinted.findings) <= otherRules(findings),
              `fix "${fix.title}" introduced a finding of another rule`,
            );
          }
        }
      });
    });
  }
});
