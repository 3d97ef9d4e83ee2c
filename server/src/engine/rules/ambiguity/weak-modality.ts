import type { Sentence } from '../../model';
import type { Fix, Rule } from '../types';
import { conventionsOf } from '../../conventions';
import { perSentence, proseSentences, type Prose } from './prose';

interface ModalUse {
  start: number;
  end: number;
  word: string;
  /** "may not" followed by an action the actor could be forbidden from. */
  mayNot?: boolean;
}

/** Verbs after "may not" that describe what is possibly the case, not what is allowed. */
const EPISTEMIC = new Set([
  'be',
  'have',
  'know',
  'realize',
  'realise',
  'understand',
  'want',
  'need',
  'see',
  'notice',
  'apply',
  'work',
  'reflect',
  'align',
  'exist',
  'matter',
  'mean',
  'seem',
  'appear',
  'recognize',
  'remember',
  'like',
  'agree',
  'hold',
  'fit',
  'include',
  'contain',
]);
const KEYWORDS = /^(?:must|should|shall|may)$/;
const DECLARES_RFC = /\b(?:RFC\s?2119|RFC\s?8174|BCP\s?14)\b/;

const modalUses = perSentence((prose: Prose): ModalUse[] => {
  const uses: ModalUse[] = [];
  const tokens = prose.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!KEYWORDS.test(token.text.toLowerCase()) || (token.pos !== 'AUX' && token.pos !== 'VERB')) continue;
    const use: ModalUse = { start: token.start, end: token.end, word: token.text };
    // a prohibition needs an agent: "it may not make sense" can only be a possibility
    const subject = tokens[i - 1]?.text.toLowerCase();
    // "may or may not build": a possibility, said twice
    if (
      token.text.toLowerCase() === 'may' &&
      tokens[i - 1]?.text.toLowerCase() === 'or' &&
      tokens[i - 2]?.text.toLowerCase() === 'may'
    )
      continue;
    if (token.text.toLowerCase() === 'may' && tokens[i + 1]?.text.toLowerCase() === 'or') continue;
    if (
      token.text.toLowerCase() === 'may' &&
      tokens[i + 1]?.text.toLowerCase() === 'not' &&
      subject !== 'it' &&
      subject !== 'this' &&
      subject !== 'that' &&
      subject !== 'there' &&
      subject !== 'you'
    ) {
      let k = i + 2;
      while (tokens[k]?.pos === 'ADV') k++;
      const verb = tokens[k];
      if (verb && (verb.pos === 'VERB' || verb.pos === 'AUX') && !EPISTEMIC.has(verb.lemma.toLowerCase())) {
        use.mayNot = true;
        use.end = tokens[i + 1].end;
      }
    }
    uses.push(use);
  }
  return uses;
});

function usesOf(sentence: Sentence, prose: Prose): ModalUse[] {
  return modalUses(sentence, prose);
}

/**
 * A modal that reports rather than requires: in a note or example, a question, or a clause that
 * describes something ("formats that all implementations must understand", "how a client should
 * request"). RFC 8174 leaves lowercase words their plain meaning; only the main clause of a
 * statement is a requirement written in lowercase by mistake.
 */
function describes(masked: string, at: number): boolean {
  if (/^\s*(?:note|example|for example|e\.g\.|in practice|implementers? note)\b/i.test(masked)) return true;
  if (/\bexamples?\b/i.test(masked.slice(0, at))) return true;
  if (/\?\s*$/.test(masked)) return true;
  const clause =
    masked
      .slice(0, at)
      .split(/[,;:(—]/)
      .pop() ?? '';
  // the verb of a condition ("When the map should zoom to it", "If configuration must be stored"), not the rule after it
  if (/\b(?:when|if)\s+(?:\S+\s+){0,4}$/i.test(clause)) return true;
  return /\b(?:that|which|who|whom|how|whether|what|why|where|so|because|since|indicat\w*|mean\w*|ensur\w*|expect\w*)\b/i.test(
    clause,
  );
}

export const weakModality: Rule = {
  id: 'weak-modality',
  description:
    'Weak or inconsistent modality: "may not" (permission or prohibition?), or lowercase keywords in a document that uses RFC 2119 keywords.',
  category: 'ambiguity',
  defaultSeverity: 'warning',
  check(ctx) {
    const { doc } = ctx;
    const sentences = [...proseSentences(ctx, { normativeOnly: true })];
    const declared = DECLARES_RFC.test(doc.text);
    const strict = ctx.config.profile === 'strict';
    const uppercaseConvention = conventionsOf(doc).rfc2119;
    // "beside them": a section whose own rules use capital keywords (or any section, when the document declares BCP 14)
    const sectionsWithCapitals = new Set<string | undefined>();
    for (const { sentence, prose } of sentences)
      if (usesOf(sentence, prose).some((u) => u.word === u.word.toUpperCase()))
        sectionsWithCapitals.add(sentence.sectionId);

    for (const { sentence, prose } of sentences) {
      const base = sentence.span.start;
      for (const use of usesOf(sentence, prose)) {
        const span = { start: base + use.start, end: base + use.end };
        const edit = (newText: string) => [{ span, newText }];
        if (use.mayNot) {
          const fixes: Fix[] = [
            {
              title: `Replace with "${uppercaseConvention ? 'MUST NOT' : 'must not'}" (a prohibition)`,
              edits: edit(uppercaseConvention ? 'MUST NOT' : 'must not'),
              preferred: true,
            },
            {
              title: `Replace with "${uppercaseConvention ? 'NEED NOT' : 'need not'}" (no obligation)`,
              edits: edit(uppercaseConvention ? 'NEED NOT' : 'need not'),
            },
            { title: 'Replace with "might not" (a possibility)', edits: edit('might not') },
          ];
          ctx.report({
            span,
            message: `"${sentence.text.slice(use.start, use.end)}" reads as a prohibition ("must not") or as a mere possibility ("might not"): write the one you mean.`,
            fixes,
          });
          continue;
        }
        const lower = use.word === use.word.toLowerCase();
        // a lowercase "may" is nearly always a possibility ("plugins may be unable to"), not the keyword
        // strict: anywhere in a document that writes its keywords in capitals, not only in the sections that do
        if (
          uppercaseConvention &&
          lower &&
          use.word.toLowerCase() !== 'may' &&
          (declared || strict || sectionsWithCapitals.has(sentence.sectionId)) &&
          !describes(prose.masked, use.start)
        ) {
          const keyword = use.word.toUpperCase();
          const fixes: Fix[] = [{ title: `Make it the keyword "${keyword}"`, edits: edit(keyword), preferred: true }];
          if (use.word === 'should') fixes.push({ title: 'Make it "MUST" (a requirement)', edits: edit('MUST') });
          const reason = declared
            ? 'this document declares RFC 2119 keywords'
            : 'this document writes its keywords in capitals';
          ctx.report({
            span,
            message: `Lowercase "${use.word}" where ${reason}: is it the keyword "${keyword}" or plain English? Capitalise it, or reword it without a modal.`,
            fixes,
          });
          continue;
        }
      }
    }
  },
};
