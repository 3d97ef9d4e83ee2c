/**
 * The page the "Clause Test Report" webview shows, as plain data (no vscode import) so that a test
 * renders it in Chromium: the same self-contained page as `clarifier test --format html`, built
 * from the results the editor stored, which may come from several runs.
 */
import { formatHtmlReport, type ClauseTestUnit, type UnitResult } from '../../server/src/engine/modelFeatures';

export function reportPage(
  results: UnitResult[],
  units: ClauseTestUnit[],
  where: (uri: string, line: number) => string,
): string {
  const unique = (values: string[]) => [...new Set(values.filter(Boolean))];
  const models = unique(results.map((r) => r.model));
  const graders = unique(results.flatMap((r) => r.graders ?? [r.grader]));
  // a calibration stores no example results: such a report is the grader's calibration
  const calibrate = results.length > 0 && results.every((r) => !r.examples.length && r.calibration?.length);
  const generatedAt = results.reduce((latest, r) => Math.max(latest, r.finishedAt), 0) || Date.now();
  return formatHtmlReport(results, units, {
    model: models.join(', ') || 'none',
    graders: graders.length ? graders : ['none'],
    where,
    generatedAt,
    calibrate,
  });
}
