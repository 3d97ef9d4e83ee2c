import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { resolveConfig, type ClarifierConfig } from '../../server/src/engine/config';
import type { FileSystem, Logger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import type { SpecDocument } from '../../server/src/engine/model';
import type { Finding } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MODEL_SPEC_DIR } from '../support/corpus';

export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
const noDisk: FileSystem = {
  readFile: async () => {
    throw new Error('no disk in tests');
  },
  readDirectory: async () => [],
  stat: async () => undefined,
} as unknown as FileSystem;

/** The Model Spec and its example files in one workspace, as the editor would see it. */
export function corpusWorkspace(config: ClarifierConfig = {}): {
  workspace: SpecWorkspace;
  doc: SpecDocument;
  text: string;
} {
  const workspace = new SpecWorkspace(noDisk, silentLogger, [pathToFileURL(MODEL_SPEC_DIR).toString()]);
  workspace.setConfig(resolveConfig(config));
  const examples = path.join(MODEL_SPEC_DIR, 'examples');
  for (const name of readdirSync(examples))
    if (name.endsWith('.md'))
      workspace.update(
        pathToFileURL(path.join(examples, name)).toString(),
        readFileSync(path.join(examples, name), 'utf8'),
        0,
      );
  const file = path.join(MODEL_SPEC_DIR, 'model_spec.md');
  const text = readFileSync(file, 'utf8');
  const doc = workspace.update(pathToFileURL(file).toString(), text, 0);
  return { workspace, doc, text };
}

export function ambiguityFindings(config: ClarifierConfig = {}): {
  findings: Finding[];
  doc: SpecDocument;
  normativeSentences: number;
} {
  const { workspace, doc } = corpusWorkspace(config);
  const ids = new Set([
    'vague-qualifier',
    'vague-quantity',
    'escape-clause',
    'open-ended-list',
    'unbaselined-comparative',
    'weak-modality',
    'hidden-actor-passive',
    'unclear-reference',
    'and-or',
    'placeholder',
    'undefined-term',
    'terminology-drift',
    'unexpanded-acronym',
  ]);
  const findings = lintDocument(doc, workspace, silentLogger, workspace.config).filter((f) => ids.has(f.ruleId));
  const normativeSentences = doc.sentences.filter((s) => s.normative && !s.commentary).length;
  return { findings, doc, normativeSentences };
}
