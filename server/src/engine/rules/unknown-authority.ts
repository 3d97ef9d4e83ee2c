import type { Rule } from './types';

/** Older Model Spec releases called the highest level "platform". */
const RENAMED: Record<string, string> = { platform: 'root' };

export const unknownAuthority: Rule = {
  id: 'unknown-authority',
  description: 'A heading sets authority= to a value outside the allowed authority levels.',
  category: 'structure',
  defaultSeverity: 'error',
  check({ doc, config, report }) {
    const allowed = config.authorities;
    for (const section of doc.sections) {
      for (const attribute of section.attributes) {
        if (attribute.key !== 'authority' || allowed.includes(attribute.value)) continue;
        const renamed = RENAMED[attribute.value];
        if (renamed && allowed.includes(renamed)) {
          report({
            span: attribute.valueSpan,
            severity: 'hint',
            tags: [2],
            message: `authority=${attribute.value} is the older name of authority=${renamed}: both mean the same level; newer releases write "${renamed}".`,
            fixes: [
              {
                title: `Rename to authority=${renamed}`,
                edits: [{ span: attribute.valueSpan, newText: renamed }],
                preferred: true,
                safe: true,
              },
            ],
          });
          continue;
        }
        report({
          span: attribute.valueSpan,
          message: `Unknown authority "${attribute.value}" on "${section.title}": expected one of ${allowed.join(', ')} (configure the list with "authorities").`,
        });
      }
    }
  },
};
