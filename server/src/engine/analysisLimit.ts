import type { Sentence, SpecDocument } from './model';

/**
 * Where in `doc.sentences` the wording and conflict rules stop reading: after `limit` sentences
 * outside tables (cells are neither wording nor clauses, and a 50,000-row table must not use up
 * the budget of the prose after it). `doc.sentences.length` when the whole file is within it.
 */
export function analysisEnd(doc: SpecDocument, limit: number): number {
  let ends = computed.get(doc);
  if (!ends) computed.set(doc, (ends = new Map()));
  let end = ends.get(limit);
  if (end === undefined) {
    end = doc.sentences.length;
    let counted = 0;
    for (let i = 0; i < doc.sentences.length; i++) {
      if (doc.sentences[i].tableCell) continue;
      if (counted === limit) {
        end = i;
        break;
      }
      counted++;
    }
    ends.set(limit, end);
  }
  return end;
}

/** The first sentence the wording and conflict rules do not read; undefined when they read the whole file. */
export function firstUnreadSentence(doc: SpecDocument, limit: number): Sentence | undefined {
  return doc.sentences[analysisEnd(doc, limit)];
}

/** The sentences of a file outside tables: what the limit counts. */
export function proseSentenceCount(doc: SpecDocument): number {
  let count = 0;
  for (const sentence of doc.sentences) if (!sentence.tableCell) count++;
  return count;
}

/** Every rule asks on every lint: the answer is kept per parsed document (an edit makes a new one). */
const computed = new WeakMap<SpecDocument, Map<number, number>>();
