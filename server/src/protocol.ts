/** Requests and notifications between the client and the server beyond LSP. Shared by both sides. */

export const StatusRequest = 'clarifier/status';
export interface StatusResult {
  isSpec: boolean;
  sections: number;
  clauses: number;
  examples: number;
  findings: number;
}

export const MarkAsSpecNotification = 'clarifier/markAsSpec';
