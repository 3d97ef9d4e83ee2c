import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { parseConfig, resolveConfig } from '../../server/src/engine/config';
import { SpecParser, parseSpec } from '../../server/src/engine/parser';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import type { SpecDocument } from '../../server/src/engine/model';
import { splitSentences } from '../../server/src/engine/sentences';
import { parseTranscript } from '../../server/src/engine/transcript';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MODEL_SPEC_DIR, skipWithoutCorpus } from '../support/corpus';
import { MemoryFileSystem } from '../support/memoryFileSystem';

function sentences(text: string): string[] {
  return splitSentences(text).map((span) => text.slice(span.start, span.end));
}

function spec(text: string, uri = 'file:///spec/spec.md'): SpecDocument {
  return parseSpec(uri, text);
}

describe('spec model', () => {
  describe('sentence splitting', () => {
    const cases: [string, string[]][] = [
      [
        'Use plain words, e.g. "refund" rather than "reimbursement". Keep it short.',
        ['Use plain words, e.g. "refund" rather than "reimbursement".', 'Keep it short.'],
      ],
      [
        'Prefer one system, i.e. Metric units. Never mix units.',
        ['Prefer one system, i.e. Metric units.', 'Never mix units.'],
      ],
      [
        'Say "I can\'t help with that." Then offer an alternative.',
        ['Say "I can\'t help with that."', 'Then offer an alternative.'],
      ],
      ['He said "stop." and left.', ['He said "stop." and left.']],
      [
        'Defer to the developer, see [?](#chain_of_command). Users come next.',
        ['Defer to the developer, see [?](#chain_of_command).', 'Users come next.'],
      ],
      [
        'Follow the developer.[^abc1] Users come next.[^def2][^ghi3] Then guidelines.',
        ['Follow the developer.[^abc1]', 'Users come next.[^def2][^ghi3]', 'Then guidelines.'],
      ],
      [
        'Read https://example.com/a.b.c. It explains the rule.',
        ['Read https://example.com/a.b.c.', 'It explains the rule.'],
      ],
      [
        'See [the guide](https://example.com/guide.v2.html). Next.',
        ['See [the guide](https://example.com/guide.v2.html).', 'Next.'],
      ],
      ['Call `stop. Now` last. Done.', ['Call `stop. Now` last.', 'Done.']],
      ['The U.S. office is closed. Work from home.', ['The U.S. office is closed.', 'Work from home.']],
      ['Bring pens, paper, etc. The rest is provided.', ['Bring pens, paper, etc.', 'The rest is provided.']],
      ['It costs 3.5 dollars. Version 1.2.3 is out.', ['It costs 3.5 dollars.', 'Version 1.2.3 is out.']],
      ['Is it allowed? Yes! It is.', ['Is it allowed?', 'Yes!', 'It is.']],
    ];
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.deepEqual(sentences(text), expected));
    }

    it('keeps a [^id] after the full stop with its sentence and makes it the clause id', () => {
      const doc = spec('# Rules {#rules}\n\nThe assistant must be honest.[^h0n3] It should be kind.\n');
      assert.deepEqual(
        doc.clauses.map((c) => [c.id, c.text]),
        [
          ['h0n3', 'The assistant must be honest.[^h0n3]'],
          ['rules.1', 'It should be kind.'],
        ],
      );
      assert.equal(doc.clauses[0].plain, 'The assistant must be honest.');
    });
  });

  describe('sections', () => {
    const doc = spec(
      [
        '# Overview',
        '',
        '## Limits {#limits authority=root tags=safety,privacy}',
        '',
        '### Nested limits',
        '',
        'The assistant must not share addresses.',
        '',
        '## Legacy {#legacy authority=platform platform="web app"}',
        '',
        '## Overview',
        '',
      ].join('\n'),
    );

    it('gives headings without {#id} a slug, unique within the file', () => {
      assert.deepEqual(
        doc.sections.map((s) => [s.id, s.explicitId]),
        [
          ['overview', false],
          ['limits', true],
          ['nested-limits', false],
          ['legacy', true],
          ['overview-1', false],
        ],
      );
    });

    it('reads authority, tags and other attributes, and inherits authority and tags', () => {
      const [, limits, nested, legacy] = doc.sections;
      assert.equal(limits.ownAuthority, 'root');
      assert.deepEqual(limits.tags, ['safety', 'privacy']);
      assert.equal(nested.ownAuthority, undefined);
      assert.equal(nested.authority, 'root');
      assert.deepEqual(nested.tags, ['safety', 'privacy']);
      assert.equal(doc.clauses[0].authority, 'root');
      assert.deepEqual(
        legacy.attributes.map((a) => [a.key, a.value]),
        [
          ['authority', 'platform'],
          ['platform', 'web app'],
        ],
      );
      assert.equal(
        doc.text.slice(legacy.attributes[1].valueSpan.start, legacy.attributes[1].valueSpan.end),
        '"web app"',
      );
    });

    it('accepts authority=platform as the older name of root', () => {
      const legacy = doc.sections[3];
      assert.equal(legacy.ownAuthority, 'root');
      assert.equal(
        legacy.attributes[0].value,
        'platform',
        'the attribute keeps what the author wrote, for the rename hint',
      );
    });

    it('reads attributes and title before a comment at the end of the heading line', () => {
      const [section] = spec(
        '## Limits {#limits authority=root} <!-- clarifier-disable-line unknown-authority -->\n',
      ).sections;
      assert.deepEqual([section.id, section.title, section.ownAuthority], ['limits', 'Limits', 'root']);
      const [plain] = spec('## Plain title <!-- draft -->\n').sections;
      assert.deepEqual([plain.id, plain.title], ['plain-title', 'Plain title']);
    });

    it('ends a section at the next heading of the same or a higher level', () => {
      const [overview, limits, nested] = doc.sections;
      assert.equal(
        overview.span.end,
        doc.text.length,
        'a level-1 heading runs to the end: no later heading is level 1',
      );
      assert.equal(limits.span.end, doc.text.indexOf('## Legacy'));
      assert.equal(nested.span.end, limits.span.end);
      assert.equal(nested.parent, limits);
    });
  });

  describe('generic specs', () => {
    const doc = spec(
      [
        '# Login requirements',
        '',
        'FR-001: The system logs users in with email and password.',
        '',
        '**REQ-12**: Passwords are stored hashed.',
        '',
        'R1. Sessions expire after 30 minutes.',
        '',
        '- FR-002: Users can reset their password.',
        '- A list item without an id is still a clause.',
        '',
      ].join('\n'),
      'file:///repo/docs/requirements.md',
    );

    it('takes requirement ids at the start of a paragraph or list item as clause ids', () => {
      assert.deepEqual(
        doc.clauses.filter((c) => c.requirementId).map((c) => [c.id, c.listItem]),
        [
          ['FR-001', false],
          ['REQ-12', false],
          ['R1', false],
          ['FR-002', true],
        ],
      );
      assert.ok(doc.hasSpecSyntax);
    });

    it('does not read numbers and words that start a sentence as requirement ids', () => {
      const plain = spec('# Notes\n\n2024: a good year. Version 2. Step 3: mix.\n\nNote: this is prose.\n');
      assert.deepEqual(
        plain.sentences.filter((s) => s.requirementId),
        [],
      );
      assert.equal(plain.hasSpecSyntax, false);
    });
  });

  describe('spec detection', () => {
    it('does not take a README with ordinary footnotes for a spec', async () => {
      const readme =
        '# my-tool\n\nInstall it with npm.[^1] You should pin the version.\n\n## Usage\n\nRun it in the project root.\n\n[^1]: Or any compatible package manager.\n';
      const doc = spec(readme, 'file:///repo/README.md');
      assert.equal(doc.hasSpecSyntax, false);
      assert.deepEqual(
        doc.markers.map((m) => m.id),
        ['1'],
        'the footnote use is still a marker in the model; the definition is not',
      );
      const fs = new MemoryFileSystem({
        '/repo/README.md': readme,
        '/repo/docs/notes.md': '# Notes\n\nNothing here.\n',
      });
      const workspace = new SpecWorkspace(fs, silentLogger, [MemoryFileSystem.uri('/repo')]);
      await workspace.scan();
      assert.deepEqual(
        workspace.specDocuments().map((d) => d.uri),
        [],
      );
    });

    it('takes a [^id] marker without a footnote definition as spec syntax', () => {
      assert.equal(spec('# Rules\n\nBe kind.[^k1nd]\n').hasSpecSyntax, true);
    });
  });

  describe('commentary', () => {
    const doc = spec(
      [
        '# Honesty {#honesty authority=user}',
        '',
        'The assistant must not lie.',
        '',
        '!!! meta "Why this rule exists"',
        '    Users must be able to trust answers. See [?](#honesty).',
        '',
        '    A second paragraph of commentary.',
        '',
        'The assistant should correct its mistakes.',
        '',
      ].join('\n'),
    );

    it('models a !!! meta block with its indented body as commentary, not code', () => {
      assert.equal(doc.commentary.length, 1);
      assert.equal(doc.commentary[0].kind, 'meta');
      assert.equal(doc.commentary[0].title, 'Why this rule exists');
      assert.deepEqual(doc.code, []);
      const inside = doc.sentences.filter((s) => s.commentary).map((s) => s.text);
      assert.deepEqual(inside, [
        'Users must be able to trust answers.',
        'See [?](#honesty).',
        'A second paragraph of commentary.',
      ]);
      assert.deepEqual(
        doc.references.map((r) => r.targetId),
        ['honesty'],
      );
    });

    it('gives ordinal ids only to clauses outside commentary, and resumes after it', () => {
      assert.deepEqual(
        doc.clauses.filter((c) => !c.commentary).map((c) => c.id),
        ['honesty.1', 'honesty.2'],
      );
      assert.ok(doc.clauses.filter((c) => c.commentary).every((c) => c.id === ''));
    });
  });

  describe('transcripts', () => {
    const content = [
      '<developer name="acme">',
      'Use the weather tool.',
      '</developer>',
      '<user>',
      'Weather in Paris?',
      '</user>',
      '<assistant recipient="functions.weather" end_turn="false" comment=\'lookup\'>',
      '{"city": "Paris"}',
      '</assistant>',
      '<tool name="functions.weather">',
      '18C',
      '</tool>',
      '<comparison>',
      '<assistant> <!-- GOOD -->',
      'It is 18C.',
      '</assistant>',
      '<assistant> <!-- BAD: sycophantic -->',
      'Great question! It is 18C.',
      '</assistant>',
      '<assistant> <!-- BAD[#chain_of_command] -->',
      'I do not use tools.',
      '</assistant>',
      '<assistant> <!-- OK, but terse -->',
      '18C.',
      '</assistant>',
      '</comparison>',
    ].join('\n');
    const transcript = parseTranscript(content, 100);

    it('reads roles, attributes and content in order', () => {
      assert.deepEqual(
        transcript.messages.map((m) => m.role),
        ['developer', 'user', 'assistant', 'tool', 'assistant', 'assistant', 'assistant', 'assistant'],
      );
      assert.deepEqual(transcript.messages[0].attributes, { name: 'acme' });
      assert.deepEqual(transcript.messages[2].attributes, {
        recipient: 'functions.weather',
        end_turn: 'false',
        comment: 'lookup',
      });
      assert.equal(transcript.messages[1].content, 'Weather in Paris?');
      assert.equal(transcript.messages[5].content, 'Great question! It is 18C.');
      const user = transcript.messages[1];
      assert.equal(content.slice(user.span.start - 100, user.span.end - 100), '<user>\nWeather in Paris?\n</user>');
    });

    it('groups labelled answers in a comparison, with reasons and section references', () => {
      assert.equal(transcript.comparisons.length, 1);
      const answers = transcript.messages.filter((m) => m.comparison === 0);
      assert.deepEqual(
        answers.map((m) => [m.label?.value, m.label?.reason, m.label?.reference]),
        [
          ['GOOD', undefined, undefined],
          ['BAD', 'sycophantic', undefined],
          ['BAD', undefined, 'chain_of_command'],
          ['OK', 'but terse', undefined],
        ],
      );
      assert.equal(transcript.messages[2].comparison, undefined);
      assert.deepEqual(transcript.problems, []);
    });

    it('reads a label on the line after <assistant> as well as on the same line', () => {
      const parsed = parseTranscript(
        '<user>\nhi\n</user>\n<comparison>\n<assistant>\n<!-- GOOD: kind -->\nHello\n</assistant>\n<assistant> <!-- BAD -->\nGo away\n</assistant>\n</comparison>\n',
        0,
      );
      assert.deepEqual(
        parsed.messages.map((m) => [m.role, m.label?.value, m.label?.reason, m.content]),
        [
          ['user', undefined, undefined, 'hi'],
          ['assistant', 'GOOD', 'kind', 'Hello'],
          ['assistant', 'BAD', undefined, 'Go away'],
        ],
      );
      assert.deepEqual(parsed.problems, []);
    });

    it('reads a reason after a reference and across lines, and no label from a comment left open', () => {
      const labels = (text: string) =>
        parseTranscript(text, 0).messages.map((m) => [m.label?.value, m.label?.reason, m.label?.reference]);
      assert.deepEqual(labels('<assistant> <!-- BAD [#refunds] : too  slow -->\nno\n</assistant>'), [
        ['BAD', 'too  slow', 'refunds'],
      ]);
      assert.deepEqual(labels('<assistant> <!-- GOOD: asks\nfirst -->\nyes\n</assistant>'), [
        ['GOOD', 'asks\nfirst', undefined],
      ]);
      assert.deepEqual(labels('<assistant> <!-- GOOD: never closed\nyes\n</assistant>'), [
        [undefined, undefined, undefined],
      ]);
    });

    it('reports malformed transcripts without throwing', () => {
      const kinds = (text: string) => parseTranscript(text, 0).problems.map((p) => p.kind);
      assert.deepEqual(kinds('<user>\nhi\n<assistant>\nhello\n</assistant>'), ['unclosed-tag']);
      assert.deepEqual(kinds('<customer>\nhi\n</customer>'), ['unknown-tag']);
      assert.deepEqual(kinds('<user>hi</user>\n</assistant>'), ['unmatched-close']);
      assert.deepEqual(kinds('<comparison>\n<assistant> <!-- BAD -->\nno\n</assistant>\n</comparison>'), [
        'comparison-without-good',
      ]);
      // a recorded BAD precedent: one answer that says why it is bad tells graders what fails
      assert.deepEqual(
        kinds('<comparison>\n<assistant> <!-- BAD: agrees with a falsehood -->\nno\n</assistant>\n</comparison>'),
        [],
      );
      assert.deepEqual(
        kinds(
          '<comparison>\n<assistant> <!-- BAD: a -->\nno\n</assistant>\n<assistant> <!-- BAD: b -->\nno\n</assistant>\n</comparison>',
        ),
        ['comparison-without-good'],
      );
      assert.deepEqual(kinds('<assistant> <!-- GOOD -->\nyes\n</assistant>'), ['label-outside-comparison']);
      assert.deepEqual(
        kinds(
          '<comparison>\n<assistant> <!-- GREAT -->\nyes\n</assistant>\n<assistant> <!-- OK -->\nok\n</assistant>\n</comparison>',
        ),
        ['unknown-label'],
      );
      assert.deepEqual(kinds('<comparison>\n<assistant> <!-- GOOD -->\nyes\n</assistant>'), ['unclosed-tag']);
      assert.deepEqual(kinds('<user'), []);
    });

    it('attaches an inline example and its transcript to the section it is in', () => {
      const doc = spec(
        `# Tools {#tools authority=developer}\n\nUse tools when asked.\n\n**Example**: a weather lookup\n\n~~~xml\n${content}\n~~~\n`,
      );
      assert.equal(doc.examples.length, 1);
      const [example] = doc.examples;
      assert.equal(example.title, 'a weather lookup');
      assert.equal(example.sectionId, 'tools');
      assert.equal(example.transcript?.messages.length, 8);
      const good = example.transcript!.messages[4];
      assert.equal(doc.text.slice(good.label!.span.start, good.label!.span.end), '<!-- GOOD -->');
      assert.equal(doc.text.slice(good.contentSpan.start, good.contentSpan.end).trim(), 'It is 18C.');
    });
  });

  describe('example files', () => {
    it('reads the header "Examples for [^id] in Section title:" and attaches the examples to the marker', () => {
      const doc = spec(
        'Examples for [^x1] in Follow *all* instructions:\n\n**Example**: one\n\n~~~xml\n<user>\nhi\n</user>\n~~~\n',
        'file:///spec/examples/x1.md',
      );
      const header = doc.exampleFileHeader!;
      assert.equal(header.markerId, 'x1');
      assert.equal(doc.text.slice(header.markerSpan.start, header.markerSpan.end), 'x1');
      assert.equal(
        doc.text.slice(header.sectionTitleSpan.start, header.sectionTitleSpan.end),
        'Follow *all* instructions',
      );
      assert.deepEqual(
        doc.examples.map((e) => [e.title, e.markerId]),
        [['one', 'x1']],
      );
      assert.deepEqual(doc.markers, [], 'the header names the marker; it does not use it');
    });

    it('reads the same text outside examples/ as ordinary prose', () => {
      const doc = spec('Examples for [^x1] in Somewhere:\n', 'file:///spec/notes.md');
      assert.equal(doc.exampleFileHeader, undefined);
      assert.deepEqual(
        doc.markers.map((m) => m.id),
        ['x1'],
      );
    });
  });

  describe('suppression comments', () => {
    async function lint(text: string) {
      const fs = new MemoryFileSystem({ '/spec/spec.md': text });
      const workspace = new SpecWorkspace(fs, silentLogger, [MemoryFileSystem.uri('/spec')]);
      await workspace.scan();
      const doc = workspace.get(MemoryFileSystem.uri('/spec/spec.md'))!;
      return lintDocument(doc, workspace, silentLogger).map(
        (f) => `${doc.lines.positionAt(f.span.start).line + 1} ${f.ruleId}`,
      );
    }

    it('disable-next-line silences the named rule on the next line only', async () => {
      const findings = await lint(
        '# A {#a}\n\n<!-- clarifier-disable-next-line dangling-reference -->\nSee [?](#gone).\n\nSee [?](#lost).\n',
      );
      assert.deepEqual(findings, ['6 dangling-reference']);
    });

    it('disable ... enable silences a range, and only the rules it names', async () => {
      const findings = await lint(
        '# A {#a}\n\n<!-- clarifier-disable dangling-reference -->\n\nSee [?](#gone).\n\n## B {#a}\n\n<!-- clarifier-enable dangling-reference -->\n\nSee [?](#lost).\n',
      );
      assert.deepEqual(findings, ['1 duplicate-section-id', '7 duplicate-section-id', '11 dangling-reference']);
    });

    it('disable-line at the end of a heading silences that heading', async () => {
      const findings = await lint(
        '# A {#a}\n\n## B {#a} <!-- clarifier-disable-line duplicate-section-id -- kept for old links -->\n',
      );
      assert.deepEqual(findings, ['1 duplicate-section-id']);
    });

    it('disable ... enable around an example silences its transcript problems', async () => {
      const example = '**Example**: draft\n\n~~~xml\n<user>\nhi\n</user>\n<customer>\n~~~\n';
      const findings = await lint(
        `# A {#a}\n\n<!-- clarifier-disable malformed-transcript -->\n${example}<!-- clarifier-enable malformed-transcript -->\n\n${example}`,
      );
      assert.deepEqual(findings, ['20 malformed-transcript']);
    });

    it('a directive without rule ids silences every rule', async () => {
      assert.deepEqual(await lint('# A {#a}\n\n<!-- clarifier-disable-next-line -->\nSee [?](#gone).\n'), []);
    });

    it('works when the comment is inline at the end of a paragraph line', async () => {
      const findings = await lint(
        '# A {#a}\n\nFirst see [?](#x). <!-- clarifier-disable-next-line dangling-reference -->\nThen see [?](#gone).\n\nAlso [?](#lost). <!-- clarifier-disable-line dangling-reference -->\n',
      );
      assert.deepEqual(findings, ['3 dangling-reference']);
    });
  });

  describe('configuration', () => {
    it('parses a valid config and layers it over the defaults', () => {
      const config = resolveConfig(
        parseConfig(
          '{"rules": {"empty-example": "off"}, "authorities": ["root", "admin"], "exclude": ["drafts/**"]}',
          '.clarifier.json',
        ),
      );
      assert.equal(config.rules['empty-example'], 'off');
      assert.deepEqual(config.authorities, ['root', 'admin']);
      assert.ok(config.exclude.includes('drafts/**') && config.exclude.includes('**/node_modules/**'));
    });

    const errors: [string, RegExp][] = [
      ['{"rules": ', /\.clarifier\.json: not valid JSON/],
      ['[]', /\.clarifier\.json: expected a JSON object/],
      [
        '{"rules": {"empty-example": "loud"}}',
        /rule "empty-example" has severity "loud"; expected one of off, hint, info, warning, error/,
      ],
      ['{"rules": 3}', /"rules" must be an object/],
      ['{"include": "docs/**"}', /"include" must be an array of strings/],
      ['{"authorities": ["root", 1]}', /"authorities" must be an array of strings/],
    ];
    for (const [text, message] of errors) {
      it(`rejects ${text} with a message naming the file and the problem`, () =>
        assert.throws(() => parseConfig(text, '.clarifier.json'), message));
    }
  });

  describe('incremental parsing', () => {
    /** The model as plain data: parents by id, the line index left out (it is derived from the text). */
    function snapshot(doc: SpecDocument) {
      return JSON.parse(
        JSON.stringify({ ...doc, lines: undefined }, (key, value) => (key === 'parent' ? value?.id : value)),
      );
    }

    /** A small deterministic generator (mulberry32), so a failure reproduces. */
    function random(seed: number) {
      return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    it('gives the same model as a fresh parse after random edits to model_spec.md', function () {
      this.timeout(60000);
      skipWithoutCorpus(this);
      let text = readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8');
      const uri = 'file:///corpus/model_spec.md';
      const next = random(20251218);
      // Inserts that move block boundaries: fences, comments, headings, admonitions, blank lines, markers.
      const inserts = [
        'x',
        '\n',
        '\n\n',
        '~~~xml\n',
        '~~~\n',
        '<!-- ',
        ' -->',
        '\n## New heading {#new_id authority=user}\n',
        '\n!!! meta "Note"\n    body\n',
        '[^zz01]',
        '    ',
        '**Example**: added\n\n',
        '<comparison>',
        '`',
        'e.g. ',
      ];
      const parser = new SpecParser();
      parser.parse(uri, text, 0);
      for (let edit = 1; edit <= 18; edit++) {
        const at = Math.floor(next() * text.length);
        if (next() < 0.3) {
          text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 200)));
        } else {
          text = text.slice(0, at) + inserts[Math.floor(next() * inserts.length)] + text.slice(at);
        }
        const incremental = parser.parse(uri, text, edit);
        if (edit % 6 === 0)
          assert.deepEqual(
            snapshot(incremental),
            snapshot(parseSpec(uri, text, edit)),
            `models differ after edit ${edit} at offset ${at}`,
          );
      }
    });
  });
});
