// The Model Spec folder opened as the workspace, as a spec author would: diagnostics, outline and
// navigation come from our language server running in a real extension host.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { activateExtension, describe as describeDiagnostic, waitForDiagnostics } from './helpers';

interface CliReport {
  files: {
    path: string;
    diagnostics: { code: string; message: string; range: { start: { line: number; character: number } } }[];
  }[];
}

function corpusFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(
    folder && existsSync(path.join(folder, 'model_spec.md')),
    `the window must have the Model Spec folder open, got ${folder}`,
  );
  return folder;
}

/** What `clarifier lint --format json` says about model_spec.md: CI and the editor must agree. */
function cliFindings(extensionPath: string, folder: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(extensionPath, 'dist', 'cli.js'), 'lint', '.', '--format', 'json'],
      // process.execPath is Electron in desktop VS Code: run it as plain Node
      { cwd: folder, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && !stdout) return reject(new Error(`clarifier lint failed: ${stderr || error.message}`));
        const report = JSON.parse(stdout) as CliReport;
        const file = report.files.find((entry) => entry.path === 'model_spec.md');
        if (!file)
          return reject(
            new Error(
              `clarifier lint did not report model_spec.md; files: ${report.files
                .slice(0, 5)
                .map((entry) => entry.path)
                .join(', ')}`,
            ),
          );
        resolve(
          file.diagnostics
            .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`)
            .sort(),
        );
      },
    );
  });
}

describe('Model Spec folder', function () {
  let extension: vscode.Extension<unknown>;
  let spec: vscode.TextDocument;

  before(async function () {
    const folder = corpusFolder();
    extension = await activateExtension();
    spec = await vscode.workspace.openTextDocument(path.join(folder, 'model_spec.md'));
  });

  it('shows the same findings for model_spec.md as the CLI', async function () {
    const expected = await cliFindings(extension.extensionPath, corpusFolder());
    const same = (diagnostics: vscode.Diagnostic[]) =>
      JSON.stringify(diagnostics.map(describeDiagnostic).sort()) === JSON.stringify(expected);
    const shown = waitForDiagnostics(spec.uri, same, `the CLI's ${expected.length} finding(s)`);
    await vscode.window.showTextDocument(spec);
    const diagnostics = await shown;
    for (const diagnostic of diagnostics) {
      assert.ok(
        diagnostic.code &&
          typeof diagnostic.code === 'object' &&
          diagnostic.code.target.toString().includes('docs/rules/'),
        `each finding links to its rule page: ${describeDiagnostic(diagnostic)}`,
      );
    }
  });

  it('shows one outline, the Markdown one, and the sections with their authority in the Specs view', async function () {
    // Two document-symbol providers make two outline trees side by side and a breadcrumb that switches
    // between them: in VS Code the Outline is the Markdown extension's (it lists headings verbatim,
    // "... {#id authority=root}"), and the spec's own structure is in the Specs view.
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      spec.uri,
    );
    const all: vscode.DocumentSymbol[] = [];
    const walk = (list: vscode.DocumentSymbol[]) =>
      list.forEach((symbol) => (all.push(symbol), walk(symbol.children ?? [])));
    walk(symbols ?? []);
    assert.ok(
      all.some((symbol) => symbol.name.includes('Follow all applicable instructions')),
      `the Markdown outline lists the headings; got: ${all
        .slice(0, 5)
        .map((symbol) => symbol.name)
        .join(' | ')}`,
    );
    const ours = all.filter((symbol) => /authority=/.test(symbol.detail) || symbol.kind === vscode.SymbolKind.Key);
    assert.deepEqual(
      ours.map((symbol) => symbol.name),
      [],
      'no second outline from Thought Clarifier beside the Markdown one',
    );

    const { client } = extension.exports as { client: LanguageClient };
    const structure = await client.sendRequest<{ name: string; detail?: string; children?: unknown[] }[]>(
      'clarifier/specOutline',
      { uri: spec.uri.toString() },
    );
    const sections: { name: string; detail?: string }[] = [];
    const collect = (list: { name: string; detail?: string; children?: unknown[] }[]) =>
      list.forEach((symbol) => (sections.push(symbol), collect((symbol.children ?? []) as typeof list)));
    collect(structure);
    const section = sections.find((symbol) => symbol.name.includes('Follow all applicable instructions'));
    assert.ok(
      section,
      `no entry for the section "Follow all applicable instructions" in the Specs view; first: ${sections
        .slice(0, 8)
        .map((symbol) => symbol.name)
        .join(' | ')}`,
    );
    assert.match(
      `${section.name} ${section.detail}`,
      /\broot\b/,
      'the section sets authority=root: the Specs view should show it',
    );
    assert.ok(
      sections.some((symbol) => symbol.name.includes('The chain of command')),
      'the top-level section "The chain of command" is missing from the Specs view',
    );
  });

  it('goes from a [^id] marker to its example file', async function () {
    const text = spec.getText();
    const examples = path.join(corpusFolder(), 'examples');
    const marker = [...text.matchAll(/\[\^([A-Za-z0-9_-]+)\]/g)].find((match) =>
      existsSync(path.join(examples, `${match[1]}.md`)),
    );
    assert.ok(marker?.index !== undefined, 'model_spec.md has no [^id] marker with an examples/<id>.md file');
    const id = marker[1];
    const position = spec.positionAt(marker.index + 2); // on the id, inside the brackets
    const targets = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      spec.uri,
      position,
    );
    const uris = (targets ?? []).map((target) => ('targetUri' in target ? target.targetUri : target.uri).fsPath);
    const expected = path.join(examples, `${id}.md`);
    assert.ok(
      uris.includes(expected),
      `definition of [^${id}] at ${position.line + 1}:${position.character + 1} should be ${expected}, got ${JSON.stringify(uris)}`,
    );
    assert.ok(readFileSync(expected, 'utf8').includes(`[^${id}]`), 'the example file names its marker in its header');
  });
});
