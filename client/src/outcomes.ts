/**
 * How model errors and clause-test results show in the editor, as plain data (no vscode import),
 * so that tests check them without an editor: the Test Explorer state and message of a result,
 * and the buttons of an error notification with the setting each one opens.
 */
import type { ExampleResult, ModelError } from '../../server/src/engine/modelFeatures';

/** The setting a ModelError's message tells the user to change. */
export const SETTING_FOR_ERROR: Partial<Record<ModelError['kind'], string>> = {
  'no-key': 'clarifier.model.baseUrl',
  unreachable: 'clarifier.model.baseUrl',
  'not-chat': 'clarifier.model.baseUrl',
  'bad-request': 'clarifier.model',
  'model-not-found': 'clarifier.model.name',
  'rate-limited': 'clarifier.model.concurrency',
  timeout: 'clarifier.model.timeoutMs',
  truncated: 'clarifier.model.maxTokens',
  'too-large': 'clarifier.model.maxAnswerBytes',
  'bad-answer': 'clarifier.grader.name',
};

/** The buttons of an error notification: a missing or rejected key can be set; a local server needs none, so no-key also offers its setting. */
export function errorActions(error: ModelError): { title: string; command: [string, ...unknown[]] }[] {
  const actions: { title: string; command: [string, ...unknown[]] }[] = [];
  if (error.kind === 'no-key' || error.kind === 'unauthorized')
    actions.push({ title: 'Set API Key', command: ['clarifier.setApiKey'] });
  const setting = SETTING_FOR_ERROR[error.kind];
  if (error.kind === 'no-key')
    actions.push({ title: 'Use a Local Server', command: ['workbench.action.openSettings', setting] });
  else if (setting) actions.push({ title: 'Open Settings', command: ['workbench.action.openSettings', setting] });
  return actions;
}

/** What the Test Explorer shows for a result: an error (not run, not graded) is never a failure, and always carries its message. */
export function testOutcome(result: ExampleResult): {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  message: string;
} {
  if (result.status === 'passed') return { state: 'passed', message: '' };
  if (result.status === 'skipped') return { state: 'skipped', message: result.message ?? '' };
  if (result.status === 'failed')
    return {
      state: 'failed',
      message: `${result.verdict?.rationale || 'the grader failed this answer'}\n\nAnswer:\n${result.answer ?? ''}`,
    };
  return { state: 'errored', message: result.message || 'the example could not be run or graded' };
}
