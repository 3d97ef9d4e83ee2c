/**
 * Client <-> server messages for "Clarify this clause". As with clause tests, the server only finds
 * the clause and offers the action; the client calls the model, so the API key never crosses the
 * LSP connection. The client tells the server whether a call could work at all (booleans only).
 */
import type { Position } from 'vscode-languageserver-types';
import type { ClarifyTarget } from './engine/clarify';

/** A client command (registered by the extension, not the server): it needs the key and the UI. */
export const ClarifyClauseCommand = 'clarifier.clarifyClause';

/** Argument of the command: the clause at `position` of `uri`. */
export interface ClarifyClauseArgs {
  uri: string;
  position: Position;
}

/** The clause at a position and its section context, or null when there is no normative clause there. */
export const ClarifyTargetRequest = 'clarifier/clarifyTarget';
export type ClarifyTargetResult = ClarifyTarget | null;

/** Sent by the client at start and whenever trust, the stored key or `clarifier.model.*` change. */
export const ModelAccessNotification = 'clarifier/modelAccess';
export interface ModelAccessParams {
  /** The workspace is trusted: no model call otherwise. */
  trusted: boolean;
  /** An API key is in SecretStorage or OPENAI_API_KEY. The key itself never travels. */
  hasKey: boolean;
}
