import { removalEdit, sentenceRule } from './lexical';
import type { LocalFinding, LocalFix } from './prose';

const ESCAPE = /\b(?:if (?:at all )?possible|where(?:ver)? possible|when(?:ever)? possible|as far as (?:is )?(?:possible|practical|practicable|reasonable)|to the extent (?:possible|practical|practicable|feasible|reasonable)|as much as possible|if (?:feasible|practical|practicable|appropriate|necessary|needed|applicable|warranted)|where (?:appropriate|necessary|practical|feasible|applicable|needed)|when (?:appropriate|necessary|practical|feasible|applicable|needed|warranted)|as (?:appropriate|necessary|applicable)|unless (?:necessary|appropriate|impractical|otherwise needed)|ideally|where it makes sense|when it makes sense|if it makes sense)\b/gi;

export const escapeClause = sentenceRule({
  id: 'escape-clause',
  description: 'An escape clause (if possible, where appropriate, as far as practical, ideally) makes a rule optional without saying when.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    // on a permission ("may", "can") the rule is discretionary already: the escape clause adds no doubt
    const modals = prose.tokens.filter((t) => (t.pos === 'AUX' || t.pos === 'VERB') && /^(?:must|shall|should|may|might|can|could|need)$/i.test(t.text));
    if (modals.length && modals.every((t) => /^(?:may|might|can|could)$/i.test(t.text))) return found;
    for (const match of prose.masked.matchAll(ESCAPE)) {
      const start = match.index!;
      const end = start + match[0].length;
      const phrase = text.slice(start, end);
      // the condition is given after all: "if necessary to preserve honesty", "where appropriate (e.g., ...)"
      if (/^\s*(?:to|for|in order to)\s|^\s*\((?:e\.g\.|i\.e\.|such as|for example)/i.test(prose.masked.slice(end))) continue;
      // next to a link to a section: the linked section says when
      if (/\]\(#[^)]*\)\s*$/.test(text.slice(Math.max(0, start - 80), start)) || /^[^\]\n]*\]\(#/.test(text.slice(end, end + 80)) && text.lastIndexOf('[', start) > text.lastIndexOf(']', start)) continue;
      const fixes: LocalFix[] = [];
      const keepsWord = /^(if|when|where|unless)\b/i.exec(phrase)?.[1];
      const lead = keepsWord ?? (/^ideally$/i.test(phrase) ? 'when' : 'if');
      const capital = /^[A-Z]/.test(phrase);
      const conditioned = `${capital ? lead[0].toUpperCase() + lead.slice(1).toLowerCase() : lead.toLowerCase()} <condition>`;
      fixes.push({ title: `Replace with an explicit condition: "${conditioned}"`, edits: [{ start, end, newText: conditioned }], preferred: true });
      const removal = removalEdit(text, start, end);
      if (removal) fixes.push({ title: `Remove "${phrase}" (the rule always applies)`, edits: [removal] });
      found.push({ start, end, message: `"${phrase}" lets the reader decide whether the rule applies: name the condition under which it does (or does not).`, fixes });
    }
    return found;
  },
});
