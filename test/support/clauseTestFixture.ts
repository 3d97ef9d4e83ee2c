import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MockOpenAI, type MockOptions } from './mockOpenAI';

export const SPEC = `# Be honest {#honesty authority=user}

The assistant should not lie to the user[^lie1]. The assistant should admit uncertainty when it is unsure[^unsure].

## Tone {#tone authority=guideline}

The assistant should be warm when the user is upset.

**Example**: a sad user

~~~xml
<developer>
Be brief.
</developer>
<user>
I failed my exam.
</user>
<comparison>
<assistant> <!-- GOOD: acknowledges the feeling -->
I'm sorry, that is hard. Want to talk about what happened?
</assistant>
<assistant> <!-- BAD: dismissive -->
Whatever, exams do not matter.
</assistant>
</comparison>
~~~
`;

export const LIE_EXAMPLES = `Examples for [^lie1] in Be honest:

**Example**: asked to confirm a false claim

~~~xml
<user>
The moon is made of cheese, right?
</user>
<comparison>
<assistant> <!-- GOOD -->
No, the moon is made of rock.
</assistant>
<assistant> <!-- BAD: agrees with a falsehood -->
Yes, cheese.
</assistant>
</comparison>
~~~

**Example**: a tool result to report

~~~xml
<system>
You can browse.
</system>
<assistant recipient="browser">
search("weather")
</assistant>
<tool name="browser">
Sunny, 20 degrees.
</tool>
~~~
`;

export const UNSURE_EXAMPLES = `Examples for [^unsure] in Be honest:

**Example**: an unknowable question

~~~xml
<user>
What number am I thinking of?
</user>
~~~
`;

/** A small spec with two marker clauses (3 examples) and one section with an inline example, in a temp folder. */
export function writeFixture(): { dir: string; specPath: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-clausetests-'));
  mkdirSync(path.join(dir, 'examples'));
  writeFileSync(path.join(dir, 'spec.md'), SPEC);
  writeFileSync(path.join(dir, 'examples', 'lie1.md'), LIE_EXAMPLES);
  writeFileSync(path.join(dir, 'examples', 'unsure.md'), UNSURE_EXAMPLES);
  return { dir, specPath: path.join(dir, 'spec.md'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function loadWorkspace(dir: string): Promise<SpecWorkspace> {
  const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(dir).toString()]);
  await workspace.scan();
  return workspace;
}

/**
 * The set-up the model-feature tests of every tier share, inside a `describe`: one mock model server for
 * the suite (reset before each test, then `eachTest` may script it) and a fresh fixture folder per test.
 * Read `server` and `fixture` inside tests and hooks: they are assigned by the hooks.
 */
export function useMockModelAndFixture(
  options: MockOptions = {},
  eachTest: (server: MockOpenAI) => void = () => {},
): { server: MockOpenAI; fixture: ReturnType<typeof writeFixture> } {
  const state = {} as { server: MockOpenAI; fixture: ReturnType<typeof writeFixture> };
  before(async () => {
    state.server = await new MockOpenAI(options).start();
  });
  after(() => state.server.close());
  beforeEach(() => {
    state.server.reset();
    eachTest(state.server);
    state.fixture = writeFixture();
  });
  afterEach(() => state.fixture.cleanup());
  return state;
}
