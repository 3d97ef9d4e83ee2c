import { URI, Utils } from 'vscode-uri';
import type { ClauseEntry } from './entries';

/** A clause shortened for a message: first words, whole, with an ellipsis. */
export function short(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 15)) + '…';
}

/** Where the other clause is, seen from `from`: " in #section", plus " of file.md" in another file. */
export function where(entry: ClauseEntry, from: ClauseEntry): string {
  const section = entry.clause.sectionId ? ` in #${entry.clause.sectionId}` : '';
  if (entry.uri === from.uri) return section;
  return `${section} of ${Utils.basename(URI.parse(entry.uri))}`;
}
