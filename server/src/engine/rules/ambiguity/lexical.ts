import type { Rule, Severity } from '../types';
import {
  proseSentences,
  reportLocal,
  sentenceDetector,
  type LocalFinding,
  type Prose,
  type SentenceScope,
} from './prose';

/** Builds a rule that reads each sentence on its own, with the per-sentence cache. */
export function sentenceRule(options: {
  id: string;
  description: string;
  defaultSeverity: Severity | 'off';
  strictSeverity?: Severity;
  scope: SentenceScope;
  detect: (prose: Prose, text: string) => LocalFinding[];
}): Rule {
  const detector = sentenceDetector(options.detect);
  return {
    id: options.id,
    description: options.description,
    category: 'ambiguity',
    defaultSeverity: options.defaultSeverity,
    strictSeverity: options.strictSeverity,
    check(ctx) {
      for (const { sentence, prose } of proseSentences(ctx, options.scope))
        reportLocal(ctx, sentence, detector(sentence, prose));
    },
  };
}

/** True when the words just before `offset` introduce examples, so a list there is illustrative. */
export function introducesExamples(masked: string, offset: number): boolean {
  const before = masked.slice(0, offset);
  const clauseStart = Math.max(before.lastIndexOf('('), before.lastIndexOf(';'), before.lastIndexOf(':'), 0);
  const clause = before.slice(clauseStart);
  return (
    /\b(?:e\.g\.|for example\b|for instance\b|such as\b|like\b|examples? (?:include|are)\b|including\b)/i.test(
      clause,
    ) && !/including but not limited to/i.test(clause)
  );
}

/** Removes a phrase together with the comma that sets it off, when that leaves a sentence. */
export function removalEdit(
  text: string,
  start: number,
  end: number,
): { start: number; end: number; newText: string } | undefined {
  const before = text.slice(0, start);
  const after = text.slice(end);
  if (/,\s*$/.test(before) && /^\s*[,.;]/.test(after)) {
    const from = before.replace(/,\s*$/, '').length;
    return { start: from, end, newText: '' };
  }
  if (/\s$/.test(before) && /^[.;]/.test(after)) return { start: before.replace(/\s+$/, '').length, end, newText: '' };
  if (/^\s*$/.test(before) && /^,\s*\S/.test(after)) {
    const rest = /^,\s*(\S)/.exec(after)!;
    return { start, end: end + rest[0].length, newText: rest[1].toUpperCase() };
  }
  if (/\s$/.test(before) && /^,?\s+\S/.test(after) && !/,\s*$/.test(before)) {
    const gap = /^,?\s+/.exec(after)![0].length;
    return { start, end: end + gap, newText: '' };
  }
  return undefined;
}
