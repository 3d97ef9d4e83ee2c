import type { Rule } from './types';
import { resolveRelative } from '../workspace';

export const danglingReference: Rule = {
  id: 'dangling-reference',
  description: 'A cross-reference points at a section id or file that does not exist.',
  category: 'structure',
  defaultSeverity: 'error',
  check({ doc, workspace, report }) {
    for (const reference of doc.references) {
      if (reference.kind === 'section' && reference.targetId !== undefined) {
        if (!reference.targetId) {
          report({ span: reference.span, message: 'This link points at "#" with no section id: write the id of the section it refers to, e.g. [?](#chain_of_command).' });
          continue;
        }
        if (workspace.sections(reference.targetId).length) continue;
        report({ span: reference.targetSpan, message: `No section has the id "${reference.targetId}": check the spelling or add {#${reference.targetId}} to the heading it refers to.` });
      } else if (reference.kind === 'file' && reference.targetPath) {
        const target = resolveRelative(doc.uri, reference.targetPath);
        const targetDoc = workspace.get(target);
        if (!targetDoc) {
          report({ span: reference.targetSpan, message: `The linked file "${reference.targetPath}" does not exist in the workspace.` });
        } else if (reference.targetId && !targetDoc.sections.some((s) => s.id === reference.targetId)) {
          report({ span: reference.targetSpan, message: `"${reference.targetPath}" has no section with the id "${reference.targetId}".` });
        }
      }
    }
    // `<!-- BAD[#chain_of_command] -->` names the section an answer violates
    for (const example of doc.examples) {
      for (const message of example.transcript?.messages ?? []) {
        const label = message.label;
        if (!label?.reference || workspace.sections(label.reference.replace(/^#/, '')).length) continue;
        const id = label.reference.replace(/^#/, '');
        report({ span: label.span, message: `The ${label.value} label cites #${id}, but no section has that id: check the spelling of the section it refers to.` });
      }
    }
  },
};
