/**
 * What the extension host needs of the engine to make model calls itself (clause tests, Clarify):
 * the API key lives in SecretStorage and never crosses the LSP connection, so these run in the
 * client. The client imports this module and the wire protocol, nothing else of the server.
 */
export type { Logger } from './host';
export { isLoopback, ModelClient } from './llm/client';
export { ModelError } from './llm/errors';
export { resolveModelSettings, settingNumber, settingText, SettingsError, type ModelSettings } from './llm/settings';
export type { ResultCache } from './clauseTests/cache';
export { calibrateClauses, checkRunOptions, mergeUnitResult, runClauseTests, RunOptionsError, stoppedRunResults, tally, type RunOptions } from './clauseTests/runner';
export { isSpecContextSetting } from './clauseTests/context';
export { graderDisagreements, describeDisagreement } from './clauseTests/disagreement';
export { formatHtmlReport } from './clauseTests/htmlReport';
export { CALIBRATION_MESSAGE, type ClauseTestUnit, type ExampleResult, type UnitResult } from './clauseTests/types';
export { clarificationEdit, clarifyClause, pickedAnswers, rewriteEdit, rewriteWithAnswers, type Clarification, type ClarifyingQuestion, type ClarifyTarget } from './clarify';
export { runDeepTiers, type DeepRun } from './deep/run';
export { calibrateAmbiguity, formatCalibration, readLabelledSet } from './deep/calibration';
