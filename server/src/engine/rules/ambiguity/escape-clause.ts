import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { removalEdit } from './lexical';
import { proseSentences, reportLocal, sentenceDetector, type LocalFinding, type LocalFix } from './prose';
import { fillIn } from './blanks';

/** A rule that cannot bend: an escape clause on it is a real hole. */
const HARD = /\b(?:must|shall|never|always|required|cannot|can't)\b/i;

const ESCAPE =
  /\b(?:if (?:at all )?possible|where(?:ver)? possible|when(?:ever)? possible|as far as (?:is )?(?:possible|practical|practicable|reasonable)|to the extent (?:possible|practical|practicable|feasible|reasonable)|as much as possible|if (?:feasible|practical|practicable|appropriate|necessary|needed|applicable|warranted)|where (?:appropriate|necessary|practical|feasible|applicable|needed)|when (?:appropriate|necessary|practical|feasible|applicable|needed|warranted)|as (?:appropriate|necessary|applicable)|unless (?:necessary|appropriate|impractical|otherwise needed)|where it makes sense|when it makes sense|if it makes sense)\b/gi;

const detect = sentenceDetector((prose, text) => {
  const found: LocalFinding[] = [];
  // on a permission ("may", "can") the rule is discretionary already: the escape clause adds no doubt
  const modals = prose.tokens.filter(
    (t) => (t.pos === 'AUX' || t.pos === 'VERB') && /^(?:must|shall|should|may|might|can|could|need)$/i.test(t.text),
  );
  if (modals.length && modals.every((t) => /^(?:may|might|can|could)$/i.test(t.text))) return found;
  // "prefer X whenever possible" states a preference, and a preference has exceptions by nature
  const PREFERENCE = /\b(?:prefer(?:s|red|ably)?|favou?rs?|try to|tries to|strive|aim to|ideally|recommended)\b/i;
  for (const match of prose.masked.matchAll(ESCAPE)) {
    const start = match.index!;
    const end = start + match[0].length;
    const phrase = text.slice(start, end);
    if (PREFERENCE.test(prose.masked.slice(0, start))) continue;
    // "using emulation if possible": the escape qualifies the means, the rule itself stands
    if (/\b(?:using|via|through|by means of)\s+[^,;:.()]{1,60}$/i.test(prose.masked.slice(0, start))) continue;
    // "if at all possible" strengthens a rule ("try hard"), it does not open a hole in it
    if (/at all possible/i.test(phrase)) continue;
    // the condition is given after all: "if necessary to preserve honesty", "where appropriate (e.g., ...)"
    if (/^\s*(?:to|for|in order to)\s|^\s*\((?:e\.g\.|i\.e\.|such as|for example)/i.test(prose.masked.slice(end)))
      continue;
    // next to a link to a section: the linked section says when
    if (
      /\]\(#[^)]*\)\s*$/.test(text.slice(Math.max(0, start - 80), start)) ||
      (/^[^\]\n]*\]\(#/.test(text.slice(end, end + 80)) && text.lastIndexOf('[', start) > text.lastIndexOf(']', start))
    )
      continue;
    const fixes: LocalFix[] = [];
    const keepsWord = /^(if|when|where|unless)\b/i.exec(phrase)?.[1];
    const lead = keepsWord ?? (/^ideally$/i.test(phrase) ? 'when' : 'if');
    const capital = /^[A-Z]/.test(phrase);
    const conditioned = `${capital ? lead[0].toUpperCase() + lead.slice(1).toLowerCase() : lead.toLowerCase()} ${fillIn('condition')}`;
    fixes.push({
      title: `Replace with an explicit condition: "${conditioned}"`,
      edits: [{ start, end, newText: conditioned }],
      preferred: true,
      needsInput: true,
    });
    const removal = removalEdit(text, start, end);
    if (removal) fixes.push({ title: `Remove "${phrase}" (the rule always applies)`, edits: [removal] });
    found.push({
      start,
      end,
      message: `"${phrase}" lets the reader decide whether the rule applies: name the condition under which it does (or does not).`,
      fixes,
      subject: HARD.test(prose.masked) ? 'hard' : 'soft',
    });
  }
  return found;
});

/**
 * "If necessary, plugins must implement locking", "run the migration if needed": written for an
 * implementer or an agent, need is a fact of their situation (is the resource shared?) that they
 * can check, not a judgement the author left open. Judgement words (appropriate, possible,
 * practical) still are.
 */
const TECHNICAL_NEED = /(?:needed|necessary)$/i;

export const escapeClause: Rule = {
  id: 'escape-clause',
  description:
    'An escape clause (if possible, where appropriate, as far as practical) makes a rule optional without saying when.',
  category: 'ambiguity',
  defaultSeverity: 'information',
  check(ctx) {
    // Agent files and standards write soft rules ("should", a bare imperative) that already allow
    // exceptions: there only an escape on a hard rule (must, never) is a hole. Policies and product
    // specs state behaviour a grader or tester checks, where any unstated condition is one.
    const { kind } = conventionsOf(ctx.doc);
    const hardOnly = kind === 'agent-instructions' || kind === 'standard';
    for (const { sentence, prose } of proseSentences(ctx, { normativeOnly: true })) {
      const found = detect(sentence, prose).filter(
        (f) => !hardOnly || (f.subject === 'hard' && !TECHNICAL_NEED.test(sentence.text.slice(f.start, f.end))),
      );
      reportLocal(ctx, sentence, found);
    }
  },
};
