import type { Rule } from './types';

/** How many other headings a message names, and how many related locations a finding carries. */
const NAMED_IN_MESSAGE = 3;
const RELATED_LIMIT = 10;

export const duplicateSectionId: Rule = {
  id: 'duplicate-section-id',
  description: 'Two headings declare the same {#id}, so references to it are ambiguous.',
  category: 'structure',
  defaultSeverity: 'error',
  check({ doc, workspace, report }) {
    for (const section of doc.sections) {
      if (!section.explicitId || !section.idSpan) continue;
      const others = workspace
        .sections(section.id)
        .filter((other) => other.section !== section && other.section.explicitId);
      if (!others.length) continue;
      // An id declared by many headings (a file pasted into itself) must not make every finding
      // list every other one: the message names a few and the finding links to the first ten.
      const where = (o: (typeof others)[number]) => {
        const at = o.section.idSpan ?? o.section.headingSpan;
        const line = o.doc.lines.positionAt(at.start).line + 1;
        return o.doc.uri === doc.uri ? `line ${line}` : `${workspace.relativePath(o.doc.uri)}:${line}`;
      };
      const named = others.slice(0, NAMED_IN_MESSAGE).map((o) => `"${o.section.title}" (${where(o)})`);
      const rest = others.length - named.length;
      const declaredBy = rest
        ? `${named.join(', ')} and ${rest} more heading${rest === 1 ? '' : 's'}`
        : named.join(', ');
      report({
        span: section.idSpan,
        message: `Section id "${section.id}" is also declared by ${declaredBy}: references to #${section.id} cannot tell them apart. Give each heading a unique id.`,
        related: others.slice(0, RELATED_LIMIT).map((o) => ({
          uri: o.doc.uri,
          span: o.section.idSpan ?? o.section.headingSpan,
          message: `"${o.section.title}" also declares #${section.id}`,
        })),
      });
    }
  },
};
