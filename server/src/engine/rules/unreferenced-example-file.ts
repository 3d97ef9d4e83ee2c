import type { Rule } from './types';

export const unreferencedExampleFile: Rule = {
  id: 'unreferenced-example-file',
  description: 'An example file names a [^id] marker that no clause of the spec uses.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    const header = doc.exampleFileHeader;
    if (!header) return;
    if (workspace.markerUses(header.markerId).length) return;
    report({
      span: header.span,
      message: `No clause uses the marker [^${header.markerId}], so these examples are attached to nothing: add [^${header.markerId}] after the clause they illustrate, or delete the file.`,
    });
  },
};
