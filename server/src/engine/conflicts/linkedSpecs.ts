import type { SpecDocument } from '../model';
import { resolveRelative } from '../workspace';

/**
 * Files that link to each other ([x](other.md)) belong to one spec even across folders: each
 * linked file is mapped to one representative of its group (union-find over the links).
 */
export function linkedSpecGroups(docs: Map<string, SpecDocument>): Map<string, string> {
  const parent = new Map<string, string>();
  const joined = new Set<string>();
  const find = (uri: string): string => {
    let root = uri;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  for (const doc of docs.values()) {
    for (const reference of doc.references) {
      if (reference.kind !== 'file' || !reference.targetPath) continue;
      const target = resolveRelative(doc.uri, reference.targetPath.split('#')[0]);
      if (target === doc.uri || !docs.has(target)) continue;
      const [x, y] = [find(doc.uri), find(target)];
      joined.add(doc.uri).add(target);
      if (x !== y) parent.set(x < y ? y : x, x < y ? x : y);
    }
  }
  const groups = new Map<string, string>();
  for (const uri of joined) groups.set(uri, find(uri));
  return groups;
}

/** A value that changes exactly when the grouping does. */
export function groupingSignature(groups: Map<string, string>): string {
  return [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).join('\n');
}
