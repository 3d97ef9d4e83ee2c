import type { Rule } from './types';

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
      report({
        span: section.idSpan,
        message: `Section id "${section.id}" is also declared by ${others.map((o) => `"${o.section.title}"`).join(', ')}: references to #${section.id} cannot tell them apart. Give each heading a unique id.`,
        related: others.map((o) => ({
          uri: o.doc.uri,
          span: o.section.idSpan ?? o.section.headingSpan,
          message: `"${o.section.title}" also declares #${section.id}`,
        })),
      });
    }
  },
};
