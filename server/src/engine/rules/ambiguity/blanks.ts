/**
 * Blanks a quick fix leaves for the author to fill in. They are written as `[what: …]` because
 * that renders as visible text in every Markdown viewer (an HTML-like `<condition>` is swallowed
 * as a tag), and the placeholder rule reports each one until the author replaces it.
 */
export type BlankKind = 'condition' | 'definition' | 'full name' | 'number' | 'interval' | 'limit';

export function fillIn(kind: BlankKind): string {
  return `[${kind}: …]`;
}

/** A blank left by a fix, filled or not: `[condition: …]`. Filled in, the brackets are gone. */
export const FIX_BLANK = /\[(?:condition|definition|full name|number|interval|limit): …\]/g;
