import type { Rule } from './types';
import { resolveRelative } from '../workspace';
import type { SpecDocument } from '../model';

/**
 * Whether `#id` lands somewhere in the document, as on GitHub: a `{#id}`, a heading's GitHub
 * anchor (compared without case, as GitHub's page script does), or an HTML `<a id>`/`<a name>`.
 */
export function hasAnchor(doc: SpecDocument, id: string): boolean {
  const { exact, folded } = anchorsOf(doc);
  return exact.has(id) || folded.has(id.toLowerCase());
}

const anchorCache = new WeakMap<SpecDocument, { exact: Set<string>; folded: Set<string> }>();

/** The document's link targets, once per parsed version: a lookup per link keeps a 10 MB file linear. */
function anchorsOf(doc: SpecDocument): { exact: Set<string>; folded: Set<string> } {
  let anchors = anchorCache.get(doc);
  if (!anchors) {
    anchors = { exact: new Set(), folded: new Set() };
    for (const section of doc.sections) {
      anchors.exact.add(section.id);
      if (section.anchor !== undefined) anchors.folded.add(section.anchor.toLowerCase());
    }
    for (const anchor of doc.htmlAnchors ?? []) anchors.folded.add(anchor.toLowerCase());
    anchorCache.set(doc, anchors);
  }
  return anchors;
}

export const danglingReference: Rule = {
  id: 'dangling-reference',
  description: 'A cross-reference points at a section id or file that does not exist.',
  category: 'structure',
  defaultSeverity: 'error',
  check({ doc, workspace, report }) {
    for (const reference of doc.references) {
      if (reference.malformed) {
        report({
          span: reference.targetSpan,
          message: `The link target "${reference.url}" is not valid percent-encoding: a % must start an escape such as %20; write %25 for a literal %.`,
        });
        continue;
      }
      if (reference.kind === 'section' && reference.targetId !== undefined) {
        if (!reference.targetId) {
          report({
            span: reference.span,
            message:
              'This link points at "#" with no section id: write the id of the section it refers to, e.g. [?](#chain_of_command).',
          });
          continue;
        }
        if (hasAnchor(doc, reference.targetId) || workspace.sections(reference.targetId).length) continue;
        report({
          span: reference.targetSpan,
          message: `No section has the id "${reference.targetId}": check the spelling or add {#${reference.targetId}} to the heading it refers to.`,
        });
      } else if (reference.kind === 'file' && reference.targetPath) {
        const target = resolveRelative(doc.uri, reference.targetPath);
        const targetDoc = workspace.get(target);
        if (!targetDoc) {
          report({
            span: reference.targetSpan,
            message: `The linked file "${reference.targetPath}" does not exist in the workspace.`,
          });
        } else if (reference.targetId && !hasAnchor(targetDoc, reference.targetId)) {
          report({
            span: reference.targetSpan,
            message: `"${reference.targetPath}" has no section with the id "${reference.targetId}".`,
          });
        }
      }
    }
    // `<!-- BAD[#chain_of_command] -->` names the section an answer violates
    for (const example of doc.examples) {
      for (const message of example.transcript?.messages ?? []) {
        const label = message.label;
        if (!label?.reference || workspace.sections(label.reference.replace(/^#/, '')).length) continue;
        const id = label.reference.replace(/^#/, '');
        report({
          span: label.span,
          message: `The ${label.value} label cites #${id}, but no section has that id: check the spelling of the section it refers to.`,
        });
      }
    }
  },
};
