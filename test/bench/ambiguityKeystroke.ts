/**
 * Per-keystroke cost of linting model_spec.md with all default rules, ambiguity rules included.
 * Run: node --import tsx test/bench/ambiguityKeystroke.ts
 * Each round types one character into a normative sentence (a new text every time, so the
 * per-sentence caches see a real change), re-parses and re-lints; median of 30.
 */
import { lintDocument } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/engine/rules/registry';
import { AMBIGUITY_RULES } from '../../server/src/engine/rules/ambiguity';
import { corpusWorkspace, silentLogger } from '../precision/lintCorpus';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (const profile of ['default', 'strict'] as const) {
  const { workspace, doc: first, text } = corpusWorkspace({ profile });
  const structural = RULES.filter((rule) => !AMBIGUITY_RULES.includes(rule));
  let started = performance.now();
  lintDocument(first, workspace, silentLogger);
  const cold = performance.now() - started;
  const target = first.clauses.find((c) => !c.commentary && c.text.length > 80)!;
  const at = target.span.start + 20;
  const parse: number[] = [];
  const all: number[] = [];
  const structuralOnly: number[] = [];
  let current = text;
  for (let round = 0; round < 30; round++) {
    current = current.slice(0, at) + String.fromCharCode(97 + (round % 26)) + current.slice(at);
    started = performance.now();
    const doc = workspace.update(first.uri, current, round + 2);
    parse.push(performance.now() - started);
    started = performance.now();
    lintDocument(doc, workspace, silentLogger);
    all.push(performance.now() - started);
    started = performance.now();
    lintDocument(doc, workspace, silentLogger, workspace.config, structural);
    structuralOnly.push(performance.now() - started);
  }
  const total = parse.map((p, i) => p + all[i]);
  console.log(
    `${profile}: first lint (NLP model load + every sentence) ${cold.toFixed(0)} ms | per keystroke, median of 30: parse ${median(parse).toFixed(2)} ms + lint (all rules) ${median(all).toFixed(2)} ms = ${median(total).toFixed(2)} ms; structural rules alone ${median(structuralOnly).toFixed(2)} ms`,
  );
}
