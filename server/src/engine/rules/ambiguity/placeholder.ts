import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

const PLACEHOLDER = /(?<![\p{L}\p{N}])(?:TBD|TBC|TBA|TODO|FIXME|XXX+)(?![\p{L}\p{N}])|\?\?\?+/gu;

export const placeholder = sentenceRule({
  id: 'placeholder',
  description: 'A placeholder (TBD, TODO, ???, XXX) left in the spec.',
  defaultSeverity: 'warning',
  scope: {},
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(PLACEHOLDER)) {
      const start = match.index!;
      const end = start + match[0].length;
      found.push({ start, end, message: `"${text.slice(start, end)}" is a placeholder: the spec is not finished here. Write the decision, or track the open question outside the normative text.` });
    }
    return found;
  },
});
