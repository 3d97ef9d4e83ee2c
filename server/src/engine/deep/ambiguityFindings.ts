import type { Clause, SpecDocument } from '../model';
import type { PrecedentInput } from '../clauseTests/precedent';
import type { Finding } from '../rules/types';
import type { SpecWorkspace } from '../workspace';
import { KIND_LABEL, MODEL_AMBIGUITY, type AmbiguityResult, type ClarifyAnswer } from './ambiguity';
import { storedAmbiguityResults } from './store';

/** Carried in the diagnostic's data, for the Clarify actions: the question and its answers. */
export interface AmbiguityFindingData {
  model: string;
  question: string;
  answers: ClarifyAnswer[];
  readings: string[];
  divergingInput: string;
  stale?: boolean;
}

const PLACEHOLDER_ANSWER = 'TODO: write the answer this clause expects';

/**
 * What the ambiguity model tier found on this document's clauses. Clauses are found again by their
 * text, so an edit elsewhere moves a finding with its clause. A clause edited since the model read
 * it keeps its finding greyed out as stale (a hint, tagged unnecessary) until the next model run
 * replaces it; a clause that is gone takes its finding with it.
 */
export function ambiguityModelFindings(workspace: SpecWorkspace, doc: SpecDocument): Finding[] {
  const findings: Finding[] = [];
  const results = storedAmbiguityResults(workspace).filter((r) => r.target.uri === doc.uri && r.verdict?.ambiguous);
  // most files have no stored model result: indexing every clause of a 4 MB file by text on each keystroke cost 0.2 s
  if (!results.length) return findings;
  const byText = new Map<string, Clause>();
  for (const clause of doc.clauses) if (!clause.commentary) byText.set(flat(clause.plain), clause);
  const taken = new Set<Clause>();
  for (const result of results) {
    const clause = byText.get(result.target.text);
    if (clause) {
      taken.add(clause);
      findings.push(finding(doc, clause, result, false));
    }
  }
  for (const result of results) {
    if (byText.has(result.target.text)) continue;
    const edited = editedClause(doc, result, taken);
    if (!edited) continue;
    taken.add(edited);
    findings.push(finding(doc, edited, result, true));
  }
  return findings;
}

function finding(_doc: SpecDocument, clause: Clause, result: AmbiguityResult, stale: boolean): Finding {
  const verdict = result.verdict!;
  const readings = verdict.readings
    .map((reading, i) => `(${i + 1}) ${lowerFirst(reading.replace(/\.$/, ''))}`)
    .join('; ');
  const kind = KIND_LABEL[verdict.kind ?? 'other'];
  const body = `${kind}: the clause can be read as ${readings}. The readings act differently on "${verdict.divergingInput}"${/[.!?]$/.test(verdict.divergingInput) ? '' : '.'} Question: ${verdict.question}`;
  const data: AmbiguityFindingData = {
    model: result.model,
    question: verdict.question,
    answers: verdict.answers,
    readings: verdict.readings,
    divergingInput: verdict.divergingInput,
    ...(stale ? { stale } : {}),
  };
  if (stale) {
    return {
      ruleId: MODEL_AMBIGUITY,
      severity: 'hint',
      span: clause.span,
      tags: [1],
      message: `Stale model finding (${result.model}): the clause changed since the model read it; the next model run checks it again. It said: ${body}`,
      data,
    };
  }
  return {
    ruleId: MODEL_AMBIGUITY,
    severity: 'warning',
    span: clause.span,
    message: `Model finding (${result.model}): ${body}`,
    data,
  };
}

/** The clause that took the place of an edited one: same section, most words in common. */
function editedClause(doc: SpecDocument, result: AmbiguityResult, taken: Set<Clause>): Clause | undefined {
  const before = words(result.target.text);
  let best: { clause: Clause; score: number } | undefined;
  for (const clause of doc.clauses) {
    if (clause.commentary || taken.has(clause) || clause.sectionId !== result.target.sectionId) continue;
    const after = words(clause.plain);
    const shared = [...before].filter((w) => after.has(w)).length;
    const score = shared / Math.max(1, Math.min(before.size, after.size) + Math.abs(before.size - after.size) / 2);
    if (score >= 0.6 && (!best || score > best.score)) best = { clause, score };
  }
  return best?.clause;
}

/** "Refund every order" reads on in a sentence as "refund every order"; "AI" and "EU" stay. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * "Record the diverging input as an example": a precedent (the precedent writer of clause tests)
 * whose user turn is the input on which the readings diverge, and whose GOOD answer the author
 * writes in place of the placeholder. It goes where the clause's examples live.
 */
export function divergingInputPrecedent(uri: string, clause: Clause, input: string): PrecedentInput {
  return {
    uri,
    unitId: clause.markers[0]?.id ?? clause.id,
    messages: [{ role: 'user', content: input }],
    answer: PLACEHOLDER_ANSWER,
    label: 'GOOD',
  };
}
