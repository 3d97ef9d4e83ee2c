import { PrecedentError, type PrecedentInput } from '../engine/languageService';
import { RecordPrecedentCommand, type RecordPrecedentResult } from '../protocol';
import type { ServerContext } from '../serverContext';
import { contributeCommand } from './codeActions';

/**
 * "Record as precedent" as a workspace command, for the VS Code client and other editors alike:
 * the server builds the edit (an example appended to examples/<id>.md, a new example file with the
 * clause's marker, or an inline example) and asks the editor to apply it.
 */
export function register(context: ServerContext): void {
  contributeCommand(context, RecordPrecedentCommand.id, async (args): Promise<RecordPrecedentResult> => {
    await context.ready();
    const input = args[0] as PrecedentInput | undefined;
    if (
      !input ||
      typeof input.uri !== 'string' ||
      typeof input.unitId !== 'string' ||
      typeof input.answer !== 'string'
    ) {
      return {
        applied: false,
        message: `${RecordPrecedentCommand.id} needs one argument {uri, unitId, answer, label: "GOOD" | "BAD", reason?, exampleKey? | messages?}`,
      };
    }
    try {
      const built = context.service.precedentEdit(input);
      const label = `Record ${input.label} precedent for ${input.unitId}`;
      const result = await context.connection.workspace.applyEdit({ label, edit: built.edit });
      if (!result.applied)
        return {
          applied: false,
          message: `the editor did not apply the edit${result.failureReason ? `: ${result.failureReason}` : ''}; nothing was changed`,
        };
      return { applied: true, targetUri: built.targetUri, placement: built.placement, markerId: built.markerId };
    } catch (error) {
      if (error instanceof PrecedentError) return { applied: false, message: error.message };
      throw error;
    }
  });
}
