import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { Section, SpecDocument } from '../model';
import type { SpecWorkspace } from '../workspace';
import {
  firstSentence,
  firstUserPrompt,
  plural,
  rangeOf,
  referencedSections,
  sectionClauses,
  sectionExampleCount,
  sectionsById,
  shorten,
  targetAt,
} from './locate';

/**
 * Hover: a marker shows its example count and first prompt, a reference its target's title,
 * authority and first sentence, a heading its authority, clause count and example count.
 */
export function hover(workspace: SpecWorkspace, doc: SpecDocument, position: Position): Hover | null {
  const target = targetAt(doc, doc.lines.offsetAt(position));
  if (!target) return null;
  const lines: string[] = [];
  switch (target.kind) {
    case 'marker':
    case 'headerMarker': {
      const files = workspace.exampleFiles(target.id, doc.uri);
      const examples = files.flatMap((f) => f.examples);
      lines.push(
        `**[^${target.id}]**: ${files.length ? `${plural(examples.length, 'example')} in ${files.map((f) => '`' + workspace.relativePath(f.uri) + '`').join(', ')}` : `no example file (expected \`examples/${target.id}.md\`)`}`,
      );
      const prompt = firstUserPrompt(examples);
      if (prompt)
        lines.push(
          '',
          `First prompt (${examples[0]?.title ? `"${examples[0].title}"` : 'first example'}):`,
          '',
          quote(shorten(prompt, 400)),
        );
      if (target.kind === 'headerMarker') {
        const uses = workspace.markerUses(target.id);
        lines.push(
          '',
          uses.length
            ? `Used by ${plural(uses.length, 'clause')} in ${[...new Set(uses.map((u) => '`' + workspace.relativePath(u.doc.uri) + '`'))].join(', ')}.`
            : 'No clause in the spec uses this marker.',
        );
      }
      break;
    }
    case 'reference':
    case 'labelReference': {
      if (!target.id) return null;
      const found =
        target.kind === 'reference'
          ? referencedSections(workspace, doc, target.reference)
          : sectionsById(workspace, doc, target.id);
      if (!found.length) {
        lines.push(`No section has the id \`${target.id}\`.`);
        break;
      }
      const { doc: targetDoc, section } = found[0];
      lines.push(
        `**${escape(section.title)}** \`#${section.id}\`${targetDoc.uri === doc.uri ? '' : ` in \`${workspace.relativePath(targetDoc.uri)}\``}`,
        '',
        authorityLine(section),
      );
      const sentence = firstSentence(targetDoc, section);
      if (sentence) lines.push('', quote(shorten(sentence, 400)));
      if (found.length > 1) lines.push('', `${found.length} sections share this id.`);
      break;
    }
    case 'heading': {
      const section = target.section;
      const clauses = sectionClauses(doc, section).length;
      const examples = sectionExampleCount(workspace, doc, section);
      lines.push(
        `**${escape(section.title)}** \`#${section.id}\``,
        '',
        authorityLine(section),
        '',
        `${plural(clauses, 'clause')}, ${plural(examples, 'example')} (this section's own text, without subsections).`,
      );
      if (section.tags.length) lines.push('', `Tags: ${section.tags.join(', ')}`);
      break;
    }
    case 'headerTitle': {
      const sections = workspace
        .specDocuments()
        .flatMap((d) => d.sections.filter((s) => s.title === target.title).map((s) => ({ d, s })));
      if (!sections.length) lines.push(`No section is titled "${escape(target.title)}".`);
      else lines.push(`**${escape(target.title)}** \`#${sections[0].s.id}\``, '', authorityLine(sections[0].s));
      break;
    }
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: rangeOf(doc, target.span) };
}

function authorityLine(section: Section): string {
  if (section.ownAuthority) return `Authority: **${section.ownAuthority}**`;
  if (section.authority)
    return `Authority: **${section.authority}** (inherited from "${escape(ancestorSetting(section)?.title ?? '')}")`;
  return 'Authority: none set';
}

function ancestorSetting(section: Section): Section | undefined {
  for (let s = section.parent; s; s = s.parent) if (s.ownAuthority) return s;
  return undefined;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${escape(line)}`)
    .join('\n');
}

function escape(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}
