import type { Diagnostic } from 'vscode-languageserver-types';
import { RULES } from '../engine/rules/registry';
import { docsUrl } from '../engine/rules/types';

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
  return JSON.stringify({
    version: 1,
    files: reports.map((report) => ({
      path: report.path,
      diagnostics: report.diagnostics.map((d) => ({
        code: String(d.code),
        severity: severityName(d),
        message: d.message,
        range: d.range,
        related: (d.relatedInformation ?? []).map((r) => ({ path: relativeOf(r.location.uri), range: r.location.range, message: r.message })),
      })),
    })),
  }, null, 2) + '\n';
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
      lines.push(`${report.path}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${paint(colors[severity], severity.padEnd(11))} ${d.message}  ${paint('2', String(d.code))}`);
      for (const related of d.relatedInformation ?? []) {
        lines.push(`    ${paint('2', `↳ ${relativeOf(related.location.uri)}:${related.location.range.start.line + 1}:${related.location.range.start.character + 1}  ${related.message}`)}`);
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

/** SARIF 2.1.0 as GitHub code scanning accepts it. */
export function formatSarif(reports: FileReport[], relativeOf: (uri: string) => string): string {
  const level = (d: Diagnostic) => (d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'note');
  const rules = RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.description },
    helpUri: docsUrl(rule.id),
    defaultConfiguration: { level: rule.defaultSeverity === 'error' ? 'error' : rule.defaultSeverity === 'warning' ? 'warning' : 'note' },
  }));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const region = (range: Diagnostic['range']) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d) => ({
      ruleId: String(d.code),
      ...(ruleIndex.has(String(d.code)) ? { ruleIndex: ruleIndex.get(String(d.code)) } : {}),
      level: level(d),
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: report.path.replace(/\\/g, '/'), uriBaseId: '%SRCROOT%' }, region: region(d.range) } }],
      ...(d.relatedInformation?.length
        ? {
            relatedLocations: d.relatedInformation.map((r, id) => ({
              id,
              message: { text: r.message },
              physicalLocation: { artifactLocation: { uri: relativeOf(r.location.uri).replace(/\\/g, '/'), uriBaseId: '%SRCROOT%' }, region: region(r.location.range) },
            })),
          }
        : {}),
    })),
  );
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'clarifier', informationUri: 'https://github.com/thought-clarifier/thought-clarifier', version: '0.1.0', rules } }, results }],
  }, null, 2) + '\n';
}
