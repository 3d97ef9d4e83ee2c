/**
 * Draws the hand-judged precision sample on model_spec.md.
 * Run: node --import tsx test/precision/sample.ts > /tmp/candidates.json
 * The default profile gives fewer findings than a sample of 60 would need, so all of them are
 * judged (a census); strict-only findings are drawn at random with a fixed seed, to show why those
 * checks are off by default. Verdicts are written by hand into test/precision/ambiguity-sample.json.
 */
import { ambiguityFindings } from './lintCorpus';

export const SEED = 20251218;
export const STRICT_SAMPLE = 50;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export interface SampleEntry {
  profile: 'default' | 'strict';
  rule: string;
  severity: string;
  line: number;
  excerpt: string;
  sentence: string;
  verdict: boolean | null;
  reason: string;
}

function key(f: { ruleId: string; span: { start: number; end: number } }): string {
  return `${f.ruleId}@${f.span.start}-${f.span.end}`;
}

if (require.main === module) {
  const base = ambiguityFindings();
  const doc = base.doc;
  const inDefault = new Set(base.findings.map(key));
  const strictOnly = ambiguityFindings({ profile: 'strict' }).findings.filter((f) => !inDefault.has(key(f)));
  const entry = (profile: 'default' | 'strict') => (f: (typeof base.findings)[number]): SampleEntry => {
    const sentence = doc.sentences.find((s) => s.span.start <= f.span.start && f.span.end <= s.span.end);
    return { profile, rule: f.ruleId, severity: f.severity, line: doc.lines.positionAt(f.span.start).line + 1, excerpt: doc.text.slice(f.span.start, f.span.end), sentence: sentence?.plain ?? '', verdict: null, reason: '' };
  };
  const sample = [...base.findings.map(entry('default')), ...shuffled(strictOnly, SEED).slice(0, STRICT_SAMPLE).sort((a, b) => a.span.start - b.span.start).map(entry('strict'))];
  process.stdout.write(JSON.stringify(sample, null, 1) + '\n');
}
