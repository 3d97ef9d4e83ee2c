/** The mock server in its own process, so that the benchmark measures the runner, not the server sharing its event loop. */
import { MockOpenAI } from '../support/mockOpenAI';

const delayMs = Number(process.argv[2] ?? '50');
// `serial`: one request at a time with a queue, like llama.cpp on a CPU
const serial = process.argv[3] === 'serial';
void new MockOpenAI({ delayMs, serial }).start().then((server) => {
  process.send?.({ url: server.url });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
});
