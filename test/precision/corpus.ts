import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { resolveConfig, type Profile } from '../../server/src/engine/config';
import { lintDocument } from '../../server/src/engine/lint';
import type { SpecDocument } from '../../server/src/engine/model';
import { AMBIGUITY_RULES } from '../../server/src/engine/rules/ambiguity';
import type { Finding } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MODEL_SPEC_DIR, REAL_SPECS_DIR } from '../support/corpus';
import { silentLogger } from './lintCorpus';

export { REAL_SPECS_DIR };

export type CorpusKind = 'agent-instructions' | 'ai-policies' | 'product-specs' | 'standards-specs' | 'model-spec';

export interface CorpusDocument {
  kind: CorpusKind;
  /** Path relative to the corpus folder, e.g. `agent-instructions/astral-sh__ruff/AGENTS.md`. */
  name: string;
  file: string;
}

export function corpusAvailable(): boolean {
  return existsSync(REAL_SPECS_DIR) && existsSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** Every document of the corpus: the real specs (their SOURCE.md and README excluded) and model_spec.md. */
export function corpusDocuments(): CorpusDocument[] {
  const docs: CorpusDocument[] = [];
  for (const kind of ['agent-instructions', 'ai-policies', 'product-specs', 'standards-specs'] as const) {
    const dir = path.join(REAL_SPECS_DIR, kind);
    for (const file of walk(dir)) {
      if (path.basename(file) === 'SOURCE.md') continue;
      docs.push({ kind, name: path.relative(REAL_SPECS_DIR, file).split(path.sep).join('/'), file });
    }
  }
  docs.push({ kind: 'model-spec', name: 'model-spec/model_spec.md', file: path.join(MODEL_SPEC_DIR, 'model_spec.md') });
  return docs;
}

export interface CorpusFinding {
  kind: CorpusKind;
  doc: string;
  rule: string;
  line: number;
  excerpt: string;
  sentence: string;
  message: string;
}

const AMBIGUITY_IDS = new Set(AMBIGUITY_RULES.map((rule) => rule.id));

/** Lints one corpus document as a spec (whatever recognition would say): the ambiguity findings, and every finding for recall. */
export function lintCorpusDocument(
  entry: CorpusDocument,
  profile: Profile,
): { findings: CorpusFinding[]; all: { rule: string; line: number }[]; words: number; doc: SpecDocument } {
  const root = path.dirname(entry.file);
  const workspace = new SpecWorkspace({} as never, silentLogger, [pathToFileURL(root).toString()]);
  workspace.setConfig(resolveConfig({ profile, include: ['**'] }));
  const uri = pathToFileURL(entry.file).toString();
  const text = readFileSync(entry.file, 'utf8');
  const doc = workspace.update(uri, text, 0);
  workspace.markAsSpec(uri);
  const every: Finding[] = lintDocument(doc, workspace, silentLogger, workspace.config);
  const all = every.map((f) => ({ rule: f.ruleId, line: doc.lines.positionAt(f.span.start).line + 1 }));
  const raw = every.filter((f) => AMBIGUITY_IDS.has(f.ruleId));
  const findings = raw.map((f) => {
    const sentence = doc.sentences.find((s) => s.span.start <= f.span.start && f.span.end <= s.span.end);
    return {
      kind: entry.kind,
      doc: entry.name,
      rule: f.ruleId,
      line: doc.lines.positionAt(f.span.start).line + 1,
      excerpt: text.slice(f.span.start, f.span.end),
      sentence: (sentence?.plain ?? text.slice(f.span.start, f.span.end)).replace(/\s+/g, ' ').trim(),
      message: f.message,
    };
  });
  const words = doc.sentences.reduce((n, s) => n + (s.plain.match(/\S+/g)?.length ?? 0), 0);
  return { findings, all, words, doc };
}

/** Every ambiguity finding of the corpus under one profile. */
export function lintCorpus(profile: Profile): { findings: CorpusFinding[]; wordsByKind: Map<CorpusKind, number> } {
  const findings: CorpusFinding[] = [];
  const wordsByKind = new Map<CorpusKind, number>();
  for (const entry of corpusDocuments()) {
    const result = lintCorpusDocument(entry, profile);
    findings.push(...result.findings);
    wordsByKind.set(entry.kind, (wordsByKind.get(entry.kind) ?? 0) + result.words);
  }
  return { findings, wordsByKind };
}

if (require.main === module) {
  const profile = (process.argv[2] ?? 'default') as Profile;
  const { findings, wordsByKind } = lintCorpus(profile);
  if (process.argv[3] === 'json') {
    process.stdout.write(JSON.stringify(findings, null, 1) + '\n');
  } else {
    const table = new Map<string, Map<string, number>>();
    for (const f of findings) {
      const row = table.get(f.rule) ?? new Map<string, number>();
      row.set(f.kind, (row.get(f.kind) ?? 0) + 1);
      table.set(f.rule, row);
    }
    const kinds = [...wordsByKind.keys()];
    console.log('rule'.padEnd(26) + kinds.map((k) => k.slice(0, 12).padStart(14)).join(''));
    for (const [rule, row] of table)
      console.log(rule.padEnd(26) + kinds.map((k) => String(row.get(k) ?? 0).padStart(14)).join(''));
    console.log('words'.padEnd(26) + kinds.map((k) => String(wordsByKind.get(k)).padStart(14)).join(''));
  }
}
