/**
 * What the extension host needs of the engine to make model calls itself (clause tests, Clarify):
 * the API key lives in SecretStorage and never crosses the LSP connection, so these run in the
 * client. The client imports this module and the wire protocol, nothing else of the server.
 */
export type { Logger } from './host';
export { isLoopback, ModelClient, type ChatMessage } from './llm/client';
export { ModelError, redact } from './llm/errors';
export {
  resolveModelSettings,
  settingNumber,
  settingText,
  SettingsError,
  type ModelSettings,
  type ModelSettingsInput,
} from './llm/settings';
export type { ResultCache } from './clauseTests/cache';
export {
  calibrateClauses,
  checkRunOptions,
  mergeUnitResult,
  runClauseTests,
  RunOptionsError,
  stoppedRunResults,
  tally,
  type RunOptions,
} from './clauseTests/runner';
export { isSpecContextSetting, type SpecContextSetting } from './clauseTests/context';
export { describeDisagreement, graderDisagreements, GRADERS_DISAGREE_MESSAGE } from './clauseTests/disagreement';
export { formatHtmlReport } from './clauseTests/htmlReport';
export { CALIBRATION_MESSAGE, type ClauseTestUnit, type ExampleResult, type UnitResult } from './clauseTests/types';
export {
  clarificationEdit,
  clarifyClause,
  pickedAnswers,
  rewriteEdit,
  rewriteWithAnswers,
  type Clarification,
  type ClarifyingQuestion,
  type ClarifyTarget,
  type PickedAnswer,
} from './clarify';
export { clarifiedCase, clarifiedPrecedentInput, clarifiedReason, type ClarifiedCase } from './clarify/clarifiedCase';
export { runDeepTiers, type DeepRun } from './deep/run';
export {
  calibrateAmbiguity,
  CalibrationSetError,
  formatCalibration,
  readLabelledSet,
  type CalibrationReport,
} from './deep/calibration';
export { DEFAULT_CLAUSE_BUDGET } from './deep/ambiguity';
export { DEFAULT_PAIR_BUDGET } from './conflicts/modelTier';
export type { DeepTargets, DeepTier } from './deep/targets';
