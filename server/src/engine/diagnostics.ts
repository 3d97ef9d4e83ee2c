import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { SpecDocument } from './model';
import { docsUrl, type Finding } from './rules/types';
import type { SpecWorkspace } from './workspace';

export const DIAGNOSTIC_SOURCE = 'clarifier';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

/** What a diagnostic carries for code actions: they are built from this alone. */
export interface DiagnosticData {
  ruleId: string;
  /** The finding's own data, e.g. a model finding's question and answers. */
  finding?: object;
  fixes?: {
    title: string;
    preferred?: boolean;
    safe?: boolean;
    cursorOffset?: number;
    needsInput?: boolean;
    group?: string;
    edits: { range: Diagnostic['range']; newText: string }[];
  }[];
}

/** The one place a finding becomes an LSP diagnostic. */
export function toDiagnostic(finding: Finding, doc: SpecDocument, workspace: SpecWorkspace): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId };
  if (finding.data) data.finding = finding.data;
  if (finding.fixes?.length) {
    data.fixes = finding.fixes.map((fix) => ({
      title: fix.title,
      preferred: fix.preferred,
      safe: fix.safe,
      cursorOffset: fix.cursorOffset,
      needsInput: fix.needsInput,
      group: fix.group,
      edits: fix.edits.map((edit) => ({
        range: doc.lines.range(edit.span.start, edit.span.end),
        newText: edit.newText,
      })),
    }));
  }
  const diagnostic: Diagnostic = {
    range: doc.lines.range(finding.span.start, finding.span.end),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
  if (finding.tags?.length) diagnostic.tags = finding.tags;
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => {
      const target = workspace.get(related.uri);
      const range = target
        ? target.lines.range(related.span.start, related.span.end)
        : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return { location: { uri: related.uri, range }, message: related.message };
    });
  }
  return diagnostic;
}
