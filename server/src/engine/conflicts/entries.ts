import { analysisEnd } from '../analysisLimit';
import type { Clause, Section, SpecDocument } from '../model';
import { looksNormative } from '../normative';
import { setsReplyLanguage } from './contrast';
import { clauseForm, normalizeRuleText, underLeadIn, type ClauseForm } from './form';
import { kindOf, type ToolCalls } from './instructions';

const CONDITIONAL_STEP = /^\W*(if|when|whenever|unless|only if|in case|for)\b/i;

/** One normative clause as the conflict index sees it. */
export interface ClauseEntry {
  id: number;
  uri: string;
  doc: SpecDocument;
  clause: Clause;
  form: ClauseForm;
  authority?: string;
  tags: string[];
  /** Clauses are compared only within a group: the folder of a spec, or a configured spec set. */
  groups: string[];
  /** Keys this entry is filed under in the index. */
  keys: string[];
  /** The "... must not:" sentence a list item continues, which lends it its modality. */
  leadIn?: string;
  /**
   * Orders entries by content, never by when they were indexed: ties in the candidate ranking and
   * the orientation of a pair must come out the same after any edit history as in a fresh analysis.
   */
  order: string;
  /**
   * This entry's place among all entries in `order`, valid during the refresh whose generation is
   * `orderRankOf`: a big refresh sorts the entries once and compares numbers instead of long strings.
   */
  orderRank?: number;
  orderRankOf?: number;
}

/** A clause as data, from which an entry is built or reused. */
export interface ClauseDraft {
  clause: Clause;
  authority?: string;
  tags: string[];
  leadIn?: Clause;
  /** Same uri, section, authority, tags, lead-in, reading and text: an unchanged clause keeps its entry. */
  key: string;
  /** An item of a requirement list, read as a duty even without a modal (see statementAsRule). */
  statement: boolean;
  /** The step's tool calls counted from the first step of its list (see ClauseForm.procedureCalls). */
  procedureCalls?: ToolCalls[];
}

/**
 * Headings under which a list states requirements: "Functional requirements", "Acceptance
 * criteria", "Constraints", a "Requirements Document". Their items are duties even when written
 * as plain statements ("The system encrypts exports.").
 */
const REQUIREMENT_HEADING = /\b(requirements?|acceptance criteria|constraints|specifications?)\b/i;

function inRequirementSection(section: Section | undefined): boolean {
  // a "Requirements Document" title covers the items right under it, not its Background or Glossary
  for (let s = section; s; s = s.parent)
    if (REQUIREMENT_HEADING.test(s.title) && (s.level > 1 || s === section)) return true;
  return false;
}

/**
 * The clauses of a document the conflict rules compare: normative sentences, list items under a
 * normative lead-in ("The assistant must not:"), and requirement-list statements without a modal.
 */
export function clauseDrafts(doc: SpecDocument, maxSentences = Infinity): ClauseDraft[] {
  const sections = new Map(doc.sections.map((s) => [s.id, s] as const));
  const result: ClauseDraft[] = [];
  let leadIn: Clause | undefined;
  // calls of each tool in the current list (a procedure); a paragraph or a new section ends it
  let procedure = new Map<string, number>();
  let procedureSection: string | undefined;
  // past the limit a file is read for structure only (see analysis-limit)
  const end = analysisEnd(doc, maxSentences);
  for (let index = 0; index < end; index++) {
    const sentence = doc.sentences[index];
    // a table cell is compared nowhere: a table of 50,000 rows would be 50,000 clauses (and was one
    // unreadable sentence before tables were read as cells)
    if (sentence.tableCell) continue;
    if (!sentence.listItem || sentence.sectionId !== procedureSection) procedure = new Map();
    procedureSection = sentence.sectionId;
    if (!sentence.listItem) leadIn = sentence.plain.trimEnd().endsWith(':') ? sentence : undefined;
    const context =
      sentence.listItem && leadIn && leadIn.sectionId === sentence.sectionId && leadIn.normative ? leadIn : undefined;
    // an item under "must not:" is a clause even when it reads like a bare phrase; "The system
    // shal not …" is one even with the modal mistyped
    if (sentence.commentary) continue;
    // "Call modify_order to change the address." is a step even without a modal; a step under a
    // condition ("If the address changed, call …") may not run, so it does not count
    // (tagging is the costly part: only sentences that name a call are read for calls)
    const callForm = /\b(call|invoke)/i.test(sentence.plain) ? clauseForm(sentence.plain) : undefined;
    const calls = callForm?.calls ?? [];
    let procedureCalls: ToolCalls[] | undefined;
    if (sentence.listItem && calls.length && !CONDITIONAL_STEP.test(sentence.plain)) {
      procedureCalls = calls.map((call) => ({ ...call, count: (procedure.get(call.tool) ?? 0) + call.count }));
      for (const call of procedureCalls) procedure.set(call.tool, call.count);
    }
    const section = sentence.sectionId ? sections.get(sentence.sectionId) : undefined;
    // "FR-3: The system encrypts exports." or an item of a requirements list states a duty; it
    // counts only when it reads as one (a subject and a present-tense verb, or "Label: value")
    const statement =
      !context &&
      (!!sentence.requirementId || (sentence.listItem && inRequirementSection(section))) &&
      !!clauseForm(sentence.plain, true).reading;
    // "If the user complains, offer a voucher." is a duty under a condition, written as an imperative
    const conditionalImperative =
      !sentence.normative &&
      CONDITIONAL_STEP.test(sentence.plain) &&
      sentence.plain.includes(',') &&
      clauseForm(sentence.plain).implicitModality;
    if (
      !sentence.normative &&
      !context &&
      !statement &&
      !calls.length &&
      !callForm?.callLimit &&
      !conditionalImperative &&
      !looksNormative(normalizeRuleText(sentence.plain))
    )
      continue;
    const tags = [...(section?.tags ?? [])].sort();
    const key = `${sentence.sectionId ?? ''}\0${sentence.authority ?? ''}\0${tags.join(',')}\0${context?.plain ?? ''}\0${statement ? 'statement' : ''}\0${procedureCalls?.map((c) => `${c.tool}=${c.count}`).join(',') ?? ''}\0${sentence.plain}`;
    result.push({
      clause: sentence,
      authority: sentence.authority,
      tags,
      leadIn: context,
      key,
      statement,
      procedureCalls,
    });
  }
  return result;
}

/** The clause's form, with the modality of the lead-in it continues. */
export function draftForm(draft: ClauseDraft): ClauseForm {
  let own = clauseForm(draft.clause.plain, draft.statement);
  if (own.reading === 'fragment') return { ...own, fragmentSection: draft.clause.sectionId ?? '' };
  if (draft.procedureCalls) own = { ...own, procedureCalls: draft.procedureCalls };
  return draft.leadIn ? underLeadIn(own, clauseForm(draft.leadIn.plain)) : own;
}

const CONTENT_KEY_LIMIT = 12;
const ACTION_KEY_LIMIT = 6;

/** Suffix of an action+object key filed by polarity: "encrypt|invoice#+" and "encrypt|invoice#-". */
export const POLARITY_MARK = '#';

/**
 * The keys a clause is filed under: action+object pairs ("store|password"), which are selective
 * even in huge specs; the same pairs by polarity, so that one "must not" finds the "must"s of the
 * same action even when hundreds of clauses share it; and single content lemmas, which find
 * reworded duplicates.
 */
export function indexKeys(form: ClauseForm): string[] {
  const keys = new Set<string>();
  if (form.action) {
    let n = 0;
    for (const lemma of form.objects) {
      if (/^\d/.test(lemma) || n++ >= ACTION_KEY_LIMIT) continue;
      // "offer a voucher" is also filed as "offer|compensation", where a ban on compensation looks
      for (const object of [lemma, kindOf(lemma)]) {
        if (!object) continue;
        keys.add(`${form.action}|${object}`);
        if (form.polarity !== 0) keys.add(`${form.action}|${object}${POLARITY_MARK}${form.polarity > 0 ? '+' : '-'}`);
      }
    }
  }
  // "Answer in the customer's language" and "Reply in English" share no word but the reply's language
  // (an action|thing key: it weighs as much as the two shared words a candidate needs)
  if (setsReplyLanguage(form)) keys.add(`${form.action}|\0language`);
  // a call limit and the steps that call tools meet under one key, whatever else they say
  if (form.callLimit || form.calls.length) keys.add('\0tool-call');
  let n = 0;
  for (const lemma of form.lemmas) if (!/^\d/.test(lemma) && n++ < CONTENT_KEY_LIMIT) keys.add(lemma);
  return [...keys];
}
