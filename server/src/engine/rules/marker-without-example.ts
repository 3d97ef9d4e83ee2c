import type { Rule } from './types';
import { footnoteDefinitions } from './sections';
import { exampleFileUri } from '../workspace';

export const markerWithoutExample: Rule = {
  id: 'marker-without-example',
  description: 'A [^id] marker has no examples/<id>.md file beside the spec.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    if (doc.exampleFileHeader || !doc.markers.length) return;
    const footnotes = footnoteDefinitions(doc);
    for (const marker of doc.markers) {
      if (footnotes.has(marker.id)) continue;
      if (workspace.exampleFiles(marker.id).length) continue;
      const expected = workspace.relativePath(exampleFileUri(doc.uri, marker.id));
      report({
        span: marker.span,
        message: `Marker [^${marker.id}] has no example file: expected ${expected} beginning "Examples for [^${marker.id}] in <section title>:". Add the file, or remove the marker if the clause has no examples.`,
      });
    }
  },
};
