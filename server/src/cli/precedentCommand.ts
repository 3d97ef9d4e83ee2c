import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import {
  createLanguageService,
  PrecedentError,
  resolveConfig,
  type ChatMessage,
  type LanguageService,
  type Logger,
} from '../engine/languageService';
import { applyWorkspaceEditToDisk } from '../node/applyEdit';
import { nodeFileSystem } from '../node/fileSystem';
import { loadConfigFile } from '../node/loadConfig';
import { UsageError } from './usage';

export const PRECEDENT_FLAGS = ['clause', 'label', 'reason', 'answer', 'answer-file', 'example', 'prompt', 'title'];

/** The spec file of a CLI command, scanned with its folder (where its example files live). */
export async function loadSpec(
  command: string,
  file: string | undefined,
  cwd: string,
  logger: Logger,
): Promise<{ service: LanguageService; uri: string }> {
  if (!file) throw new UsageError(`clarifier ${command}: name the spec file, e.g. clarifier ${command} spec.md`);
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute) || statSync(absolute).isDirectory())
    throw new UsageError(`clarifier ${command}: ${file}: no such file`);
  const service = createLanguageService({
    fileSystem: nodeFileSystem,
    logger,
    roots: [URI.file(path.dirname(absolute)).toString()],
  });
  service.setWorkspaceConfig(resolveConfig(loadConfigFile(cwd)?.config));
  await service.scan();
  const uri = URI.file(absolute).toString();
  service.markAsSpec(uri);
  return { service, uri };
}

/**
 * `clarifier precedent SPEC --clause ID --label GOOD|BAD --answer TEXT [--reason TEXT]
 * [--example N|TITLE | --prompt TEXT] [--title TEXT]`: writes the answer as an example of the
 * clause, in examples/<id>.md or inline, so that the next `clarifier test` tests it.
 */
export async function runPrecedent(
  positional: string[],
  flags: Record<string, string | true>,
  cwd: string,
  write: (text: string) => void,
  logger: Logger,
): Promise<number> {
  for (const flag of Object.keys(flags))
    if (!PRECEDENT_FLAGS.includes(flag)) throw new UsageError(`clarifier precedent: unknown option --${flag}`);
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const clause = text('clause');
  const label = text('label')?.toUpperCase();
  if (!clause)
    throw new UsageError(
      'clarifier precedent: --clause ID names the clause (its [^id] marker, requirement id or section id)',
    );
  if (label !== 'GOOD' && label !== 'BAD') throw new UsageError('clarifier precedent: --label must be GOOD or BAD');
  const answerFile = text('answer-file');
  const answer = answerFile
    ? readFileSync(answerFile === '-' ? 0 : path.resolve(cwd, answerFile), 'utf8')
    : text('answer');
  if (answer === undefined)
    throw new UsageError('clarifier precedent: give the answer with --answer TEXT or --answer-file FILE (- for stdin)');
  const { service, uri } = await loadSpec('precedent', positional[0], cwd, logger);
  let exampleKey: string | undefined;
  let messages: ChatMessage[] | undefined;
  const example = text('example');
  const prompt = text('prompt');
  if (example !== undefined) {
    const unit = service.clauseTestPlan(uri, undefined).units.find((u) => u.id === clause || u.sectionId === clause);
    const examples = unit?.examples ?? [];
    const chosen = /^\d+$/.test(example) ? examples[Number(example) - 1] : examples.find((e) => e.title === example);
    if (!chosen)
      throw new UsageError(
        `clarifier precedent: "${clause}" has no example ${/^\d+$/.test(example) ? `number ${example}` : `titled "${example}"`}${examples.length ? `; its examples: ${examples.map((e, i) => `${i + 1}. ${e.title}`).join(', ')}` : ''}`,
      );
    exampleKey = chosen.key;
  } else if (prompt !== undefined) {
    messages = [{ role: 'user', content: prompt }];
  } else
    throw new UsageError(
      'clarifier precedent: say what the answer replies to: --example N (an example of the clause) or --prompt TEXT (a new user turn)',
    );
  try {
    const built = service.precedentEdit({
      uri,
      unitId: clause,
      exampleKey,
      messages,
      answer,
      label,
      reason: text('reason'),
      title: text('title'),
    });
    const written = applyWorkspaceEditToDisk(built.edit);
    const where = path.relative(cwd, URI.parse(built.targetUri).fsPath);
    write(
      `Recorded a ${label} precedent for ${clause} ${built.placement === 'inline' ? `inline in ${where}` : `in ${where}${built.placement === 'new-example-file' ? ` (new; the clause now carries [^${built.markerId}])` : ''}`}\n`,
    );
    logger.debug('precedent written', { files: written });
    return 0;
  } catch (error) {
    if (error instanceof PrecedentError) throw new UsageError(`clarifier precedent: ${error.message}`);
    throw error;
  }
}
