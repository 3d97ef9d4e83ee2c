import { firstUnreadSentence, proseSentenceCount } from '../analysisLimit';
import type { Rule } from './types';

/**
 * The wording and conflict rules read a file's first `maxAnalyzedSentences` sentences: tagging
 * costs about 0.1 ms a sentence, and a 10 MB file of short rules holds 400,000 of them, which would
 * keep the editor busy for a minute. The rest of such a file still gets the structural rules; this
 * says where reading stopped, so that silence past that point is never taken for a clean bill.
 */
export const analysisLimit: Rule = {
  id: 'analysis-limit',
  description:
    'The file has more sentences than the wording and conflict rules read (maxAnalyzedSentences); past this point only links, ids and examples are checked.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, config, report }) {
    const limit = config.maxAnalyzedSentences;
    const first = firstUnreadSentence(doc, limit);
    if (!first) return;
    const line = doc.lines.positionAt(first.span.start).line + 1;
    report({
      span: first.span,
      message:
        `The wording and conflict rules stopped here, at line ${line}: this file has ` +
        `${proseSentenceCount(doc).toLocaleString('en-US')} sentences outside tables and they read the first ` +
        `${limit.toLocaleString('en-US')}. Split the file, or raise "maxAnalyzedSentences" in .clarifier.json ` +
        '(setting clarifier.maxAnalyzedSentences). Links, ids and examples are checked to the end.',
    });
  },
};
