/**
 * The local mock model for the workbench tests, in its own process (the UI tests are plain ESM that
 * cannot load TypeScript): every answer passes, except one about staying out "tonight", which the
 * grader fails, so a run shows both kinds of lens. Sends its URL over IPC; closes when the parent goes.
 */
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../support/mockOpenAI';

function respond(body: ChatBody) {
  if (isGraderBody(body))
    return {
      kind: 'answer' as const,
      content: verdictJson(!/tonight/.test(candidateOf(body)), 'Checked against the clause.'),
    };
  return { kind: 'answer' as const, content: `About: ${lastTurn(body).slice(0, 80)}` };
}

void new MockOpenAI({ respond }).start().then((server) => {
  process.send?.({ url: server.url });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
});
