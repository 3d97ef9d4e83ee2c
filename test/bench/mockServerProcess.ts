/** The mock server in its own process, so that the benchmark measures the runner, not the server sharing its event loop. */
import { MockOpenAI } from '../support/mockOpenAI';

const delayMs = Number(process.argv[2] ?? '50');
void new MockOpenAI({ delayMs }).start().then((server) => {
  process.send?.({ url: server.url });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
});
