import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-types';
import type { SpecDocument } from '../model';
import { resolveRelative, type SpecWorkspace } from '../workspace';
import { firstSentence, firstUserPrompt, knownMarkerIds, plural, shorten } from './locate';

const SECTION_ID_PREFIX = /\]\(([^()\s#]*\.(?:md|markdown))?#([^\s)#]*)$/i;
const MARKER_PREFIX = /\[\^([^\]\s]*)$/;

/**
 * Ids after `(#` or `file.md#` (section ids, titles as detail) and after `[^` (marker ids from
 * example files and existing markers; ids of example files no clause uses yet come first).
 */
export function completion(workspace: SpecWorkspace, doc: SpecDocument, position: Position): CompletionList {
  const offset = doc.lines.offsetAt(position);
  const lineStart = doc.lines.lineStart(position.line);
  const before = doc.text.slice(lineStart, offset);
  const after = doc.text.slice(offset, doc.lines.lineEnd(position.line));
  const section = SECTION_ID_PREFIX.exec(before);
  if (section) {
    const typed = section[2];
    const rest = /^[^\s)#\]]*/.exec(after)![0];
    const range = {
      start: doc.lines.positionAt(offset - typed.length),
      end: doc.lines.positionAt(offset + rest.length),
    };
    const closes = after.slice(rest.length).startsWith(')');
    const candidates = section[1]
      ? (() => {
          const target = workspace.get(resolveRelative(doc.uri, section[1]));
          return target ? target.sections.map((s) => ({ doc: target, section: s })) : [];
        })()
      : (() => {
          const specs = workspace.specDocuments();
          const docs = specs.some((d) => d.uri === doc.uri) ? specs : [doc, ...specs];
          return docs.flatMap((d) => d.sections.map((s) => ({ doc: d, section: s })));
        })();
    const seen = new Set<string>();
    const items: CompletionItem[] = [];
    for (const { doc: d, section: s } of candidates) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      const sentence = firstSentence(d, s);
      items.push({
        label: s.id,
        kind: CompletionItemKind.Reference,
        detail: s.title + (s.authority ? ` (${s.authority})` : ''),
        documentation: {
          kind: MarkupKind.Markdown,
          value: [
            `**${s.title}**`,
            s.authority ? `Authority: ${s.authority}` : '',
            sentence ? shorten(sentence, 300) : '',
            d.uri === doc.uri ? '' : `in \`${workspace.relativePath(d.uri)}\``,
          ]
            .filter(Boolean)
            .join('\n\n'),
        },
        // the title is what authors remember: let typing words of it find the id
        filterText: `${s.id} ${s.title}`,
        sortText: `${d.uri === doc.uri ? '0' : '1'}${String(s.headingSpan.start).padStart(9, '0')}`,
        textEdit: { range, newText: closes ? s.id : s.id + ')' },
      });
    }
    return { isIncomplete: false, items };
  }
  const marker = MARKER_PREFIX.exec(before);
  if (marker) {
    const typed = marker[1];
    const rest = /^[^\]\s]*/.exec(after)![0];
    const range = {
      start: doc.lines.positionAt(offset - typed.length),
      end: doc.lines.positionAt(offset + rest.length),
    };
    const closes = after.slice(rest.length).startsWith(']');
    const used = new Set(workspace.allMarkerIds());
    const items: CompletionItem[] = [];
    for (const id of knownMarkerIds(workspace)) {
      const examples = workspace.exampleFiles(id).flatMap((f) => f.examples);
      const header = workspace.exampleFiles(id)[0]?.exampleFileHeader;
      const prompt = firstUserPrompt(examples);
      items.push({
        label: id,
        kind: CompletionItemKind.Reference,
        detail: `${plural(examples.length, 'example')}${header ? ` for "${header.sectionTitle}"` : ''}${used.has(id) ? '' : ', not used by any clause yet'}`,
        documentation: prompt
          ? { kind: MarkupKind.Markdown, value: `First prompt:\n\n> ${shorten(prompt, 300)}` }
          : undefined,
        sortText: `${used.has(id) ? '1' : '0'}${id}`,
        textEdit: { range, newText: closes ? id : id + ']' },
      });
    }
    return { isIncomplete: false, items };
  }
  return { isIncomplete: false, items: [] };
}
