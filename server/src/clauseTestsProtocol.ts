/** Client <-> server messages for clause tests. The server plans and shows; the client runs the model calls, so the API key never crosses the LSP connection (where a verbose trace would log it). */
import type { ClauseTestUnit, UnitResult } from './engine/clauseTests/types';

export const RunClauseTestsCommand = 'clarifier.runClauseTests';
export const CalibrateClauseCommand = 'clarifier.calibrateClause';
export const ShowClauseTestReportCommand = 'clarifier.showClauseTestReport';

/** Arguments of the lens commands. No unitIds: every unit of the file. */
export interface ClauseTestTarget {
  uri: string;
  unitIds?: string[];
}

export const ClauseTestPlanRequest = 'clarifier/clauseTestPlan';
export interface ClauseTestPlan {
  units: ClauseTestUnit[];
}

/** The client reports finished runs; the server turns them into result lenses. */
export const ClauseTestResultsNotification = 'clarifier/clauseTestResults';
export interface ClauseTestResultsParams {
  results: UnitResult[];
  /** Replace everything the server holds (after a restart), instead of adding. */
  replace?: boolean;
}

/**
 * A server command (workspace/executeCommand), argument a PrecedentInput: writes the answer as a
 * GOOD or BAD example of the clause and asks the editor to apply the edit.
 */
export const RecordPrecedentCommand = 'clarifier.server.recordPrecedent';
export interface RecordPrecedentResult {
  applied: boolean;
  targetUri?: string;
  placement?: 'example-file' | 'new-example-file' | 'inline';
  markerId?: string;
  /** Why nothing was recorded, and what to do. */
  message?: string;
}
