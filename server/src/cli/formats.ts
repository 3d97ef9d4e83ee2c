import type * as Sarif from 'sarif';
import type { Diagnostic } from 'vscode-languageserver-types';
import { docsUrl, RULES } from '../engine/languageService';

import { CLI_VERSION } from './usage';

export interface FileReport {
  path: string;
  uri: string;
  diagnostics: Diagnostic[];
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'] as const;

export function severityName(diagnostic: Diagnostic): 'error' | 'warning' | 'information' | 'hint' {
  return (SEVERITY_NAMES[diagnostic.severity ?? 1] || 'error') as 'error';
}

/** The CLI's JSON: version 1, 0-based LSP ranges, related locations with paths. */
export function formatJson(reports: FileReport[], relativeOf: (uri: string) => string): string {
  return (
    JSON.stringify(
      {
        version: 1,
        files: reports.map((report) => ({
          path: report.path,
          diagnostics: report.diagnostics.map((d) => ({
            code: String(d.code),
            severity: severityName(d),
            message: d.message,
            range: d.range,
            related: (d.relatedInformation ?? []).map((r) => ({
              path: relativeOf(r.location.uri),
              range: r.location.range,
              message: r.message,
            })),
          })),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

export function formatText(reports: FileReport[], relativeOf: (uri: string) => string, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const colors: Record<string, string> = { error: '31', warning: '33', information: '36', hint: '2' };
  const lines: string[] = [];
  const counts: Record<string, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const report of reports) {
    for (const d of report.diagnostics) {
      const severity = severityName(d);
      counts[severity]++;
      lines.push(
        `${report.path}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${paint(colors[severity], severity.padEnd(11))} ${d.message}  ${paint('2', String(d.code))}`,
      );
      for (const related of d.relatedInformation ?? []) {
        lines.push(
          `    ${paint('2', `↳ ${relativeOf(related.location.uri)}:${related.location.range.start.line + 1}:${related.location.range.start.character + 1}  ${related.message}`)}`,
        );
      }
    }
  }
  const total = counts.error + counts.warning + counts.information + counts.hint;
  lines.push(
    total
      ? `${reports.length} spec file(s) checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s).`
      : `${reports.length} spec file(s) checked: no findings.`,
  );
  return lines.join('\n') + '\n';
}

/** A relative path as a SARIF artifact URI: forward slashes, each segment percent-encoded. */
function artifactUri(relativePath: string): string {
  return relativePath
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

const sarifLevel = (severity: string | undefined): Sarif.ReportingConfiguration['level'] =>
  severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: paths relative to the working folder (the
 * repository root in CI) under %SRCROOT%, 1-based lines, and columns in UTF-16 code units like LSP.
 */
export function formatSarif(reports: FileReport[], relativeOf: (uri: string) => string): string {
  const rules: Sarif.ReportingDescriptor[] = RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description} See ${docsUrl(rule.id)}`,
      markdown: `${rule.description}\n\n[Rule documentation](${docsUrl(rule.id)})`,
    },
    helpUri: docsUrl(rule.id),
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: { tags: [rule.category] },
  }));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const region = (range: Diagnostic['range']): Sarif.Region => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const results: Sarif.Result[] = reports.flatMap((report) =>
    report.diagnostics.map((d): Sarif.Result => {
      const result: Sarif.Result = {
        ruleId: String(d.code),
        level: sarifLevel(severityName(d)),
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(report.path), uriBaseId: '%SRCROOT%' },
              region: region(d.range),
            },
          },
        ],
      };
      const index = ruleIndex.get(String(d.code));
      if (index !== undefined) result.ruleIndex = index;
      if (d.relatedInformation?.length) {
        result.relatedLocations = d.relatedInformation.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: {
            artifactLocation: { uri: artifactUri(relativeOf(r.location.uri)), uriBaseId: '%SRCROOT%' },
            region: region(r.location.range),
          },
        }));
      }
      return result;
    }),
  );
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'clarifier',
            informationUri: 'https://github.com/thought-clarifier/thought-clarifier',
            version: CLI_VERSION,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
