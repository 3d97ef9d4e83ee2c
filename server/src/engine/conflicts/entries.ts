import type { Clause, SpecDocument } from '../model';
import { looksNormative } from '../normative';
import { clauseForm, normalizeRuleText, underLeadIn, type ClauseForm } from './form';

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
}

/** A clause as data, from which an entry is built or reused. */
export interface ClauseDraft {
  clause: Clause;
  authority?: string;
  tags: string[];
  leadIn?: Clause;
  /** Same uri, section, authority, tags, lead-in and text: an unchanged clause keeps its entry. */
  key: string;
}

/**
 * The clauses of a document the conflict rules compare: normative sentences, list items under a
 * normative lead-in ("The assistant must not:"), and requirement-list statements without a modal.
 */
export function clauseDrafts(doc: SpecDocument): ClauseDraft[] {
  const sections = new Map(doc.sections.map((s) => [s.id, s] as const));
  const result: ClauseDraft[] = [];
  let leadIn: Clause | undefined;
  for (const sentence of doc.sentences) {
    // a table cell is compared nowhere: a table of 50,000 rows would be 50,000 clauses (and was one
    // unreadable sentence before tables were read as cells)
    if (sentence.tableCell) continue;
    if (!sentence.listItem) leadIn = sentence.plain.trimEnd().endsWith(':') ? sentence : undefined;
    const context = sentence.listItem && leadIn && leadIn.sectionId === sentence.sectionId && leadIn.normative ? leadIn : undefined;
    // an item under "must not:" is a clause even when it reads like a bare phrase; "The system
    // shal not …" is one even with the modal mistyped
    if (sentence.commentary) continue;
    if (!sentence.normative && !context && !looksNormative(normalizeRuleText(sentence.plain))) continue;
    const section = sentence.sectionId ? sections.get(sentence.sectionId) : undefined;
    const tags = [...(section?.tags ?? [])].sort();
    const key = `${sentence.sectionId ?? ''}\0${sentence.authority ?? ''}\0${tags.join(',')}\0${context?.plain ?? ''}\0${sentence.plain}`;
    result.push({ clause: sentence, authority: sentence.authority, tags, leadIn: context, key });
  }
  return result;
}

/** The clause's form, with the modality of the lead-in it continues. */
export function draftForm(draft: ClauseDraft): ClauseForm {
  const own = clauseForm(draft.clause.plain);
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
      keys.add(`${form.action}|${lemma}`);
      if (form.polarity !== 0) keys.add(`${form.action}|${lemma}${POLARITY_MARK}${form.polarity > 0 ? '+' : '-'}`);
    }
  }
  let n = 0;
  for (const lemma of form.lemmas) if (!/^\d/.test(lemma) && n++ < CONTENT_KEY_LIMIT) keys.add(lemma);
  return [...keys];
}
