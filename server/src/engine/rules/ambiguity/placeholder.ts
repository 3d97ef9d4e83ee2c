import { protectedSpans } from '../../sentences';
import { FIX_BLANK } from './blanks';
import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

const PLACEHOLDER = /(?<![\p{L}\p{N}])(?:TBD|TBC|TBA|TODO|FIXME|XXX+)(?![\p{L}\p{N}])|\?\?\?+/gu;
/** spec-kit's marker for an open question: `[NEEDS CLARIFICATION: auth method not specified]`. */
const NEEDS_CLARIFICATION = /\[NEEDS CLARIFICATION(?::\s*([^\]\n]*))?\]/g;

export const placeholder = sentenceRule({
  id: 'placeholder',
  description:
    'A placeholder left in the spec: TBD, TODO, ???, a spec-kit [NEEDS CLARIFICATION: …] marker, or a blank a quick fix left to fill in.',
  defaultSeverity: 'warning',
  scope: { commentary: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(PLACEHOLDER)) {
      const start = match.index!;
      const end = start + match[0].length;
      found.push({
        start,
        end,
        message: `"${text.slice(start, end)}" is a placeholder: the spec is not finished here. Write the decision, or track the open question outside the normative text.`,
      });
    }
    // these two are read in the source: the prose mask blanks bracketed markers, inline code does not hold them
    const code = protectedSpans(text).filter((span) => text[span.start] === '`');
    const inCode = (at: number) => code.some((span) => span.start <= at && at < span.end);
    for (const match of text.matchAll(NEEDS_CLARIFICATION)) {
      if (inCode(match.index!)) continue;
      const question = match[1]?.trim();
      found.push({
        start: match.index!,
        end: match.index! + match[0].length,
        message: question
          ? `Open question: ${question.replace(/[.?]?$/, '?')} Answer it and replace the marker with the decision.`
          : 'An open [NEEDS CLARIFICATION] marker: answer the question and replace the marker with the decision.',
      });
    }
    for (const match of text.matchAll(FIX_BLANK)) {
      if (inCode(match.index!)) continue;
      found.push({
        start: match.index!,
        end: match.index! + match[0].length,
        message: `"${match[0]}" is a blank a quick fix left: fill it in, or the rule stays as vague as before.`,
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
});
