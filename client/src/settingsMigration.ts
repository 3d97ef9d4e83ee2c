import * as vscode from 'vscode';
import type { Logger } from '../../server/src/engine/modelFeatures';

/**
 * Settings that were null-typed ("null: same as the model" / "null: automatic") before they became a
 * string or integer the Settings UI can edit. A null written then still reads correctly, but the Settings
 * UI shows it as a wrong type; removing it gives the default, which means the same.
 */
export const FORMERLY_NULLABLE = ['grader.name', 'grader.baseUrl', 'model.concurrency', 'model.timeoutMs'] as const;

/**
 * Removes the nulls the settings still hold. `inspect()` cannot say where a null is (VS Code reports a
 * null value as absent there), but `get()` returns it: while it does, the null is removed from the user
 * settings, then (in a trusted workspace, which may write its files) the workspace and folder settings.
 */
export async function migrateNullSettings(logger: Logger): Promise<string[]> {
  const levels: [vscode.ConfigurationTarget, string][] = [[vscode.ConfigurationTarget.Global, 'user settings']];
  if (vscode.workspace.isTrusted)
    levels.push(
      [vscode.ConfigurationTarget.Workspace, 'workspace settings'],
      [vscode.ConfigurationTarget.WorkspaceFolder, 'folder settings'],
    );
  const scopes: (vscode.Uri | undefined)[] = [
    undefined,
    ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri),
  ];
  const migrated: string[] = [];
  for (const scope of scopes) {
    for (const key of FORMERLY_NULLABLE) {
      for (const [level, where] of levels) {
        const config = vscode.workspace.getConfiguration('clarifier', scope);
        if (config.get(key) !== null) break;
        if (level === vscode.ConfigurationTarget.WorkspaceFolder && !scope) continue;
        try {
          await config.update(key, undefined, level);
          if (vscode.workspace.getConfiguration('clarifier', scope).get(key) !== null)
            migrated.push(`clarifier.${key} (${where})`);
        } catch (error) {
          // a read-only settings file keeps its null, which still reads as the default
          logger.warn('could not remove a null setting', { setting: `clarifier.${key}`, where, error: String(error) });
        }
      }
    }
  }
  if (migrated.length)
    logger.info('removed null settings, which now read as their default ("same as the model" or automatic)', {
      settings: migrated,
    });
  return migrated;
}
