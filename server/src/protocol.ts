/** Requests and notifications between the client and the server beyond LSP. Shared by both sides. */

export const StatusRequest = 'clarifier/status';
export interface StatusResult {
  isSpec: boolean;
  /** Why the file is (or is not) a spec, one sentence for the status item, e.g. "A spec by its name and place: an AGENTS.md agent instruction file." */
  reason?: string;
  /** What decided: config, marked ("Treat as spec"), name (and place), content, linked (from a spec), excluded, or none. */
  recognizedBy?: 'config' | 'marked' | 'name' | 'content' | 'linked' | 'excluded' | 'none';
  /** The kind of spec when known: agent-instructions, policy, product-spec, standard. */
  kind?: string;
  sections: number;
  clauses: number;
  examples: number;
  findings: number;
}

export const MarkAsSpecNotification = 'clarifier/markAsSpec';
