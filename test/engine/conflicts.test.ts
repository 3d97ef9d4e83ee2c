import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig, type ClarifierConfig } from '../../server/src/engine/config';
import { conflictIndex } from '../../server/src/engine/conflicts/analysis';
import { clauseForm } from '../../server/src/engine/conflicts/form';
import { incompatible, numericConstraints } from '../../server/src/engine/conflicts/numbers';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import type { Finding } from '../../server/src/engine/rules/types';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { toDiagnostic } from '../../server/src/engine/diagnostics';
import { buildCodeActions } from '../../server/src/engine/languageFeatures/codeActions';

const FIXTURES = path.resolve(__dirname, 'fixtures', 'conflicts');
const uriOf = (relative: string) => URI.file(path.join(FIXTURES, relative)).toString();

/** A workspace rooted at the fixtures folder holding only the named files. */
function workspaceWith(files: string[], config?: ClarifierConfig): SpecWorkspace {
  const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(FIXTURES).toString()]);
  workspace.setConfig(resolveConfig(config));
  for (const file of files) workspace.update(uriOf(file), readFileSync(path.join(FIXTURES, file), 'utf8'), 1);
  return workspace;
}

interface Located extends Finding {
  uri: string;
  clause: string;
  other?: string;
}

/** Conflict-category findings of every file, with the text of the clause and of the related clause. */
function conflictsIn(workspace: SpecWorkspace): Located[] {
  const result: Located[] = [];
  for (const doc of workspace.specDocuments()) {
    for (const finding of lintDocument(doc, workspace, silentLogger)) {
      if (!finding.ruleId.includes('conflict') && finding.ruleId !== 'near-duplicate-clause') continue;
      const related = finding.related?.[0];
      const otherDoc = related && workspace.get(related.uri);
      result.push({
        ...finding,
        uri: doc.uri,
        clause: doc.text.slice(finding.span.start, finding.span.end),
        other: otherDoc && related ? otherDoc.text.slice(related.span.start, related.span.end) : undefined,
      });
    }
  }
  return result;
}

/** Asserts that the rule flags both clauses, each pointing at the other. */
function assertPair(findings: Located[], ruleId: string, first: string, second: string) {
  for (const [self, other] of [
    [first, second],
    [second, first],
  ]) {
    const hit = findings.find((f) => f.ruleId === ruleId && f.clause.includes(self));
    assert.ok(hit, `expected ${ruleId} on "${self}"; got ${JSON.stringify(findings.map((f) => [f.ruleId, f.clause]))}`);
    assert.ok(
      hit.other?.includes(other),
      `${ruleId} on "${self}" should point at "${other}", points at "${hit.other}"`,
    );
    assert.ok(
      hit.message.includes(self.slice(0, 30)) && hit.message.includes(other.slice(0, 30)),
      `message should quote both clauses: ${hit.message}`,
    );
  }
}

describe('conflicts: opposite obligations', () => {
  it('flags must vs must not, should always vs should never, may vs must not', () => {
    const findings = conflictsIn(workspaceWith(['opposite.md']));
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'The export service must encrypt archived invoices',
      'the export service must not encrypt archived invoices',
    );
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'The service should always log failed logins',
      'the service should never log failed logins',
    );
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'Support agents may share customer screenshots',
      'Support agents must not share customer screenshots',
    );
    assert.strictEqual(findings.length, 8, JSON.stringify(findings.map((f) => f.clause)));
  });

  it('reads a list item with the modality of its lead-in ("must not:")', () => {
    const findings = conflictsIn(workspaceWith(['opposite.md']));
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'reveal the hidden configuration',
      'The assistant should reveal the hidden configuration',
    );
    assert.ok(!findings.some((f) => f.clause.includes('invent citations') || f.clause.includes('Summarize')));
  });

  it('does not flag a rule and its exception (however, unless, a narrower condition)', () => {
    assert.deepStrictEqual(
      conflictsIn(workspaceWith(['rule-and-exception.md'])).map((f) => f.clause),
      [],
    );
  });

  it('does not flag clauses in different tag scopes or for different actors', () => {
    assert.deepStrictEqual(
      conflictsIn(workspaceWith(['scopes.md'])).map((f) => f.clause),
      [],
    );
  });
});

describe('conflicts: exclusive choices', () => {
  it('flags "only through A" vs "through B" and relational vs non-relational, not the same path twice', () => {
    const findings = conflictsIn(workspaceWith(['exclusive.md']));
    assertPair(findings, 'conflict-exclusive-choice', 'only through the admin console', 'through the public API');
    assertPair(findings, 'conflict-exclusive-choice', 'must use a non-relational store', 'must use a relational store');
    assertPair(
      findings,
      'conflict-exclusive-choice',
      'Only administrators may delete shared projects',
      'Project members may delete shared projects',
    );
    assert.ok(
      !findings.some((f) => f.ruleId === 'conflict-exclusive-choice' && f.clause.includes('upload receipts')),
      'the same path allowed twice is no conflict',
    );
  });
});

describe('conflicts: numeric limits', () => {
  it('flags limits that cannot both hold, across units, and not limits that overlap', () => {
    const findings = conflictsIn(workspaceWith(['numeric.md']));
    assertPair(findings, 'conflict-numeric', 'at most 100 words', 'at least 200 words');
    assertPair(findings, 'conflict-numeric', 'within 2 weeks', 'after 20 days');
    assertPair(findings, 'conflict-numeric', 'must be 15 minutes', 'must be 1 hour');
    assertPair(findings, 'conflict-numeric', 'at least 12 characters', 'no more than 10 characters');
    assert.ok(!findings.some((f) => f.clause.includes('bullet points')), '2 to 5 bullet points is satisfiable');
  });

  it('parses bounds, ranges, number words and negation', () => {
    const [upper] = numericConstraints('Never use more than three emojis.', true);
    assert.deepStrictEqual([upper.dimension, upper.max], ['emoji', 3]);
    const [range] = numericConstraints('Answers should be between 50 and 80 words.', false);
    assert.deepStrictEqual([range.min, range.max], [50, 80]);
    const [month] = numericConstraints('Reply within 1 month.', false);
    const [days] = numericConstraints('Reply after 20 days.', false);
    assert.strictEqual(incompatible(month, days), false, '20 days is inside a month');
    const [percent] = numericConstraints('Keep CPU use at most 80% of capacity.', false);
    assert.deepStrictEqual([percent.dimension, percent.max, percent.phrase], ['percent', 80, 'at most 80%']);
  });
});

describe('conflicts: requirement-document phrasings', () => {
  it('reads "shall", "No X may", passive voice, product synonyms and counted units', () => {
    const findings = conflictsIn(workspaceWith(['requirements.md']));
    assertPair(findings, 'conflict-numeric', 'after 3 failed login attempts', 'after 5 failed login attempts');
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'Members shall be able to close',
      'Members shall not be able to close',
    );
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'No member may edit an approved expense report',
      'Members may edit an approved expense report',
    );
    assertPair(findings, 'conflict-numeric', 'within 5 minutes', 'no sooner than 10 minutes');
    assert.ok(!findings.some((f) => f.clause.includes('MB')), 'at most 10 MB fits under 25 MB');
    assertPair(findings, 'conflict-numeric', 'retained for 7 years', 'deleted after 5 years');
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'Guest checkout must be enabled',
      'Guest checkout must be disabled',
    );
    assert.ok(
      !findings.some((f) => f.clause.includes('Draft invoices')),
      'keeping 30 days then deleting at 90 days is consistent',
    );
  });
});

describe('conflicts: authority inversions', () => {
  it('flags a guideline claiming to override root and a root rule saying it can be overridden', () => {
    const findings = conflictsIn(workspaceWith(['authority.md'])).filter(
      (f) => f.ruleId === 'conflict-authority-inversion',
    );
    assert.deepStrictEqual(findings.map((f) => f.clause).sort(), [
      'This rule can be overridden by developers who ask for it.',
      'This tone guideline takes precedence over the [safety floor](#safety_floor).',
    ]);
    const up = findings.find((f) => f.clause.startsWith('This tone'))!;
    assert.ok(up.other?.startsWith('## Safety floor'), `should point at the overridden section, got ${up.other}`);
  });
});

describe('conflicts: near duplicates', () => {
  it('reports a reworded rule as information on both copies in the strict profile, not parallel rules about different things', () => {
    assert.deepStrictEqual(
      conflictsIn(workspaceWith(['duplicates.md'])).map((f) => f.ruleId),
      [],
      'off in the default profile',
    );
    const findings = conflictsIn(workspaceWith(['duplicates.md'], { profile: 'strict' }));
    assertPair(
      findings,
      'near-duplicate-clause',
      'Every support reply should greet the customer by their first name',
      'every support reply should greet the customer using their first name',
    );
    assert.ok(findings.every((f) => f.severity === 'information'));
    assert.strictEqual(findings.length, 2);
  });
});

describe('conflicts across files', () => {
  it('compares the files of one spec folder', () => {
    const findings = conflictsIn(workspaceWith(['cross-file/privacy.md', 'cross-file/analytics.md']));
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'must not store precise location history',
      'must store precise location history',
    );
    const inPrivacy = findings.find((f) => f.uri.endsWith('privacy.md'))!;
    assert.ok(inPrivacy.related![0].uri.endsWith('analytics.md'));
    assert.ok(
      inPrivacy.fixes!.some((fix) => fix.edits[0].newText.includes('[Heatmaps](analytics.md#heatmaps)')),
      JSON.stringify(inPrivacy.fixes),
    );
  });

  it('names the other file among those whose diagnostics an edit changed', () => {
    const workspace = workspaceWith(['cross-file/privacy.md', 'cross-file/analytics.md']);
    conflictIndex(workspace);
    const analytics = uriOf('cross-file/analytics.md');
    workspace.update(
      analytics,
      workspace.get(analytics)!.text.replace('location history.', 'location history unless the user opted out.'),
      2,
    );
    const index = conflictIndex(workspace);
    assert.strictEqual(index.allPairs().length, 0);
    assert.deepStrictEqual([...index.affectedUris].sort(), [analytics, uriOf('cross-file/privacy.md')].sort());
  });

  it('compares files in different folders when one links to the other (one spec)', () => {
    const findings = conflictsIn(workspaceWith(['linked/policies/retention.md', 'linked/features/exports.md']));
    assertPair(findings, 'conflict-numeric', 'deleted after 14 days', 'deleted after 60 days');
  });

  it('compares separate spec folders only when a spec set groups them', () => {
    const files = ['spec-sets/billing/billing.md', 'spec-sets/support/support.md'];
    assert.deepStrictEqual(conflictsIn(workspaceWith(files)), []);
    const findings = conflictsIn(
      workspaceWith(files, { specSets: [['spec-sets/billing/**', 'spec-sets/support/**']] }),
    );
    assertPair(
      findings,
      'conflict-opposite-obligation',
      'The platform must email invoices as PDF attachments',
      'the platform must not email invoices as PDF attachments',
    );
  });

  it('takes spec sets from the editor settings passed with a document', () => {
    const workspace = workspaceWith(['spec-sets/billing/billing.md', 'spec-sets/support/support.md']);
    const settings = resolveConfig({ specSets: [['spec-sets/*/*.md']] });
    const findings = lintDocument(
      workspace.get(uriOf('spec-sets/billing/billing.md'))!,
      workspace,
      silentLogger,
      settings,
    );
    assert.deepStrictEqual(
      findings.map((f) => f.ruleId),
      ['conflict-opposite-obligation'],
    );
  });
});

describe('conflicts: incremental analysis and fixes', () => {
  it('re-checks only the edited clause and drops the conflict once an exception links the two', () => {
    const workspace = workspaceWith(['opposite.md']);
    const uri = uriOf('opposite.md');
    const index = conflictIndex(workspace);
    assert.strictEqual(index.allPairs().length, 4);
    const text = workspace.get(uri)!.text;
    const edited = text.replace(
      'the export service must not encrypt archived invoices.',
      'the export service must not encrypt archived invoices unless they contain card numbers.',
    );
    workspace.update(uri, edited, 2);
    conflictIndex(workspace);
    assert.strictEqual(index.lastChecked, 1, 'only the edited clause is re-extracted and compared');
    assert.strictEqual(index.allPairs().length, 3);
    const moved = '\n\nSome background about invoices comes first here.\n' + edited;
    workspace.update(uri, moved, 3);
    const findings = lintDocument(workspace.get(uri)!, workspace, silentLogger).filter(
      (f) => f.ruleId === 'conflict-opposite-obligation',
    );
    assert.strictEqual(index.lastChecked, 0);
    assert.ok(
      findings.every((f) =>
        moved
          .slice(f.span.start, f.span.end)
          .match(/log failed logins|share customer screenshots|reveal the hidden configuration/),
      ),
      'spans follow the moved text',
    );
  });

  it('offers a precedence sentence referencing the other section and a suppression that needs a reason', () => {
    const workspace = workspaceWith(['opposite.md']);
    const uri = uriOf('opposite.md');
    const doc = workspace.get(uri)!;
    const finding = lintDocument(doc, workspace, silentLogger).find(
      (f) => f.ruleId === 'conflict-opposite-obligation',
    )!;
    const precedence = finding.fixes!.find((fix) => fix.title.startsWith('Add an explicit precedence'))!;
    assert.match(
      precedence.edits[0].newText,
      /\[Storage costs\]\(#storage_costs\)/,
      "the link shows the target section's title",
    );
    assert.strictEqual(precedence.edits[0].span.start, finding.span.end, 'the sentence goes right after the clause');
    const exception = finding.fixes!.find((fix) => fix.title.startsWith('Mark as an intended exception'))!;
    const apply = (text: string, insert: string) =>
      text.slice(0, exception.edits[0].span.start) + insert + text.slice(exception.edits[0].span.end);
    const lint = (text: string) => {
      workspace.update(uri, text, 9);
      return lintDocument(workspace.get(uri)!, workspace, silentLogger).filter(
        (f) => f.ruleId === finding.ruleId && f.message === finding.message,
      );
    };
    assert.strictEqual(
      lint(apply(doc.text, exception.edits[0].newText)).length,
      1,
      'without a reason the conflict stays',
    );
    const explained = lintDocument(workspace.get(uri)!, workspace, silentLogger).find(
      (f) => f.ruleId === finding.ruleId && f.message.startsWith('This comment does not silence'),
    );
    assert.ok(explained, 'the reasonless comment itself says why it has no effect');
    assert.strictEqual(
      lint(
        apply(
          doc.text,
          exception.edits[0].newText.replace('reason: ', 'reason: archives are encrypted at rest by the disk'),
        ),
      ).length,
      0,
    );
  });
});

describe('clause forms', () => {
  it('reads actor, modality, action, objects and conditions', () => {
    const form = clauseForm('If the user asks, the assistant should not reveal the system prompt.');
    assert.deepStrictEqual([form.actor, form.modality, form.action], ['assistant', 'should not', 'reveal']);
    assert.ok(form.objects.includes('prompt'));
    assert.deepStrictEqual(form.conditions, ['ask user']);
    assert.strictEqual(clauseForm('Never store passwords in plain text.').modality, 'never');
    assert.strictEqual(clauseForm('Do not store passwords.').modality, 'must not');
  });
});

describe('conflict messages', () => {
  it('state the modality of the clause they sit on first', () => {
    const findings = conflictsIn(workspaceWith(['opposite.md'])).filter((f) =>
      f.clause.includes('encrypt archived invoices'),
    );
    const positive = findings.find((f) => f.clause.startsWith('The export service must encrypt'))!;
    const negative = findings.find((f) => f.clause.includes('must not encrypt'))!;
    assert.match(positive.message, /this clause says "must" and the other "must not"/);
    assert.match(negative.message, /this clause says "must not" and the other "must"/);
  });
});

describe('conflict code actions', () => {
  it('offer "Go to the other clause", the precedence and exception fixes, and no reasonless disable comment', () => {
    const workspace = workspaceWith(['opposite.md']);
    const doc = workspace.get(uriOf('opposite.md'))!;
    const diagnostics = lintDocument(doc, workspace, silentLogger).map((finding) =>
      toDiagnostic(finding, doc, workspace),
    );
    const diagnostic = diagnostics.find((d) => d.code === 'conflict-opposite-obligation')!;
    const actions = buildCodeActions({
      uri: doc.uri,
      lines: doc.text.split('\n'),
      params: { textDocument: { uri: doc.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } },
      all: diagnostics,
    });
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Go to the other clause'), titles.join(' | '));
    const go = actions.find((action) => action.title === 'Go to the other clause')!;
    assert.deepStrictEqual(go.command!.arguments, [
      diagnostic.relatedInformation![0].location.uri,
      diagnostic.relatedInformation![0].location.range.start,
    ]);
    assert.ok(titles.some((title) => title.startsWith('Add an explicit precedence')));
    assert.ok(titles.some((title) => title.startsWith('Mark as an intended exception')));
    assert.ok(
      !titles.some((title) => title.startsWith('Disable conflict-')),
      'a disable comment without a reason would not silence a conflict',
    );
  });
});

describe('conflict fixes and settled pairs (issue 11 item 4)', () => {
  it('"Fix all" adds precedence to one side of each pair only, and never fills exceptions in bulk', () => {
    const workspace = workspaceWith(['opposite.md']);
    const doc = workspace.get(uriOf('opposite.md'))!;
    const diagnostics = lintDocument(doc, workspace, silentLogger).map((finding) =>
      toDiagnostic(finding, doc, workspace),
    );
    const opposite = diagnostics.filter((d) => d.code === 'conflict-opposite-obligation');
    const actions = buildCodeActions({
      uri: doc.uri,
      lines: doc.text.split('\n'),
      params: { textDocument: { uri: doc.uri }, range: opposite[0].range, context: { diagnostics: [opposite[0]] } },
      all: diagnostics,
    });
    const fixAll = actions.find((action) =>
      action.title.startsWith(
        `Fix all ${opposite.length} conflict-opposite-obligation in this document: Add an explicit precedence`,
      ),
    )!;
    const edits = fixAll.edit!.changes![doc.uri];
    assert.strictEqual(edits.length, opposite.length / 2, 'one precedence sentence per pair');
    assert.ok(
      edits.every((edit) => edit.newText.includes('takes precedence') && !edit.newText.includes('clarifier-disable')),
      JSON.stringify(edits),
    );
    // applying it settles every pair: both findings of each pair are gone, none is left half-settled
    let text = doc.text;
    for (const edit of [...edits].sort(
      (x, y) => y.range.start.line - x.range.start.line || y.range.start.character - x.range.start.character,
    )) {
      const at = doc.lines.offsetAt(edit.range.start);
      text = text.slice(0, at) + edit.newText + text.slice(doc.lines.offsetAt(edit.range.end));
    }
    workspace.update(doc.uri, text, 2);
    assert.deepStrictEqual(
      lintDocument(workspace.get(doc.uri)!, workspace, silentLogger)
        .filter((f) => f.ruleId === 'conflict-opposite-obligation')
        .map((f) => f.message),
      [],
    );
  });

  it('an exception comment with a reason on one clause covers both clauses, and the cursor lands in the reason', () => {
    const workspace = workspaceWith(['opposite.md']);
    const uri = uriOf('opposite.md');
    const doc = workspace.get(uri)!;
    const finding = lintDocument(doc, workspace, silentLogger).find(
      (f) =>
        f.ruleId === 'conflict-opposite-obligation' &&
        doc.text.slice(f.span.start, f.span.end).startsWith('The export service must encrypt'),
    )!;
    const exception = finding.fixes!.find((fix) => fix.title.startsWith('Mark as an intended exception'))!;
    const inserted = exception.edits[0].newText;
    assert.strictEqual(
      inserted.slice(0, exception.cursorOffset!).endsWith('reason: '),
      true,
      `cursor after "reason: " in ${inserted}`,
    );
    const reasoned =
      inserted.slice(0, exception.cursorOffset!) +
      'archives sit on encrypted disks' +
      inserted.slice(exception.cursorOffset!);
    workspace.update(
      uri,
      doc.text.slice(0, exception.edits[0].span.start) + reasoned + doc.text.slice(exception.edits[0].span.end),
      2,
    );
    const left = lintDocument(workspace.get(uri)!, workspace, silentLogger).filter(
      (f) => f.ruleId === 'conflict-opposite-obligation' && /encrypt archived invoices/.test(f.message),
    );
    assert.deepStrictEqual(
      left.map((f) => f.message),
      [],
      'neither clause of the excepted pair is flagged',
    );
  });

  it('a pair the authority order settles is information on the overridden clause, naming the winner', () => {
    const findings = conflictsIn(workspaceWith(['authority-settled.md']));
    assert.strictEqual(findings.length, 1, JSON.stringify(findings.map((f) => [f.ruleId, f.severity, f.message])));
    const [settled] = findings;
    assert.strictEqual(settled.severity, 'information');
    assert.strictEqual(settled.clause, 'The assistant must store uploaded documents.');
    assert.match(settled.message, /is overridden by "The assistant must not store uploaded documents\."/);
    assert.match(settled.message, /\(root\)/);
  });

  it("messages quote the clauses' words, not lemmas", () => {
    const findings = conflictsIn(workspaceWith(['requirements.md']));
    for (const finding of findings)
      assert.ok(!/\((?:[a-z]+ ){2,}[a-z]+\)/.test(finding.message.replace(/"[^"]*"/g, '')), finding.message);
    const enabled = findings.find((f) => f.clause.includes('Guest checkout must be enabled'))!;
    assert.match(enabled.message, /"enabled" and the other "disabled"/);
  });
});

describe('minimal-pair contrast', () => {
  const pair = (a: string, b: string) => {
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, ['file:///contrast']);
    workspace.setConfig(resolveConfig({}));
    workspace.markAsSpec('file:///contrast/spec.md');
    workspace.update('file:///contrast/spec.md', `# Spec {#spec}\n\n- ${a}\n- ${b}\n`, 1);
    return conflictsIn(workspace)
      .filter((f) => f.severity === 'warning')
      .map((f) => f.ruleId);
  };
  it('flags one slot with two values, and not a different actor or object', () => {
    assert.deepStrictEqual(
      pair('The portal shall refund orders within 14 days.', 'The portal shall refund orders within 30 days.'),
      ['conflict-numeric', 'conflict-numeric'],
    );
    assert.deepStrictEqual(pair('The portal shall export reports weekly.', 'The portal shall export reports daily.'), [
      'conflict-numeric',
      'conflict-numeric',
    ]);
    assert.deepStrictEqual(
      pair('The portal shall serve at least 50 branches.', 'The portal shall serve at most 25 branches.'),
      ['conflict-numeric', 'conflict-numeric'],
    );
    assert.deepStrictEqual(
      pair('The portal shall run on a Windows server only.', 'The portal shall run on a Linux server.'),
      ['conflict-exclusive-choice', 'conflict-exclusive-choice'],
    );
    assert.deepStrictEqual(pair('The portal shal not print receipts.', 'The portal shall print receipts.'), [
      'conflict-opposite-obligation',
      'conflict-opposite-obligation',
    ]);
    assert.deepStrictEqual(
      pair('The portal shall be forbidden to print receipts.', 'The portal shall print receipts.'),
      ['conflict-opposite-obligation', 'conflict-opposite-obligation'],
    );
    assert.deepStrictEqual(
      pair('The portal shall serve at least 8 branches.', 'The portal shall serve at most 64 branches.'),
      [],
      'a range both bounds allow',
    );
    assert.deepStrictEqual(
      pair('The portal shall be Mac-compatible.', 'The portal shall be macOS-compatible.'),
      [],
      'synonyms',
    );
    assert.deepStrictEqual(
      pair('The portal shall support English.', 'The portal shall support French.'),
      [],
      'two values of a many-valued slot',
    );
    assert.deepStrictEqual(
      pair('The portal shall refund orders within 14 days.', 'The kiosk shall refund orders within 30 days.'),
      [],
      'another actor',
    );
    assert.deepStrictEqual(
      pair('The portal shall encrypt invoices in region eu.', 'The portal shall encrypt invoices in region us.'),
      [],
      'a scope, not a choice',
    );
  });
});

describe('modal-less requirement statements (issue 11)', () => {
  const findings = (markdown: string) => {
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, ['file:///statements']);
    workspace.setConfig(resolveConfig({}));
    workspace.markAsSpec('file:///statements/spec.md');
    workspace.update('file:///statements/spec.md', markdown, 1);
    return conflictsIn(workspace).filter((f) => f.severity === 'warning');
  };
  it('reads the items of a requirements list as duties: "The system encrypts X." vs "The system does not encrypt X."', () => {
    const found = findings(
      '# Portal\n\n## Functional requirements\n\n1. The system encrypts exported invoices.\n2. The system does not encrypt exported invoices.\n3. The system stores invoices for 7 years.\n4. The system stores invoices for 10 years.\n5. Exports are written in UTF-8.\n6. Exports are written in ISO-8859-1.\n',
    );
    assertPair(
      found,
      'conflict-opposite-obligation',
      'The system encrypts exported invoices.',
      'The system does not encrypt exported invoices.',
    );
    assertPair(found, 'conflict-numeric', 'stores invoices for 7 years', 'stores invoices for 10 years');
    assertPair(found, 'conflict-exclusive-choice', 'written in UTF-8', 'written in ISO-8859-1');
  });
  it("leaves statements outside a requirements list alone: prose and a document's background describe, they do not require", () => {
    assert.deepStrictEqual(
      findings(
        '# Portal requirements\n\n## Background\n\n- The current system stores invoices for 3 years.\n\n## Functional requirements\n\n- The system stores invoices for 7 years.\n',
      ).map((f) => f.clause),
      [],
    );
    assert.deepStrictEqual(
      findings(
        '# Portal\n\n## Notes\n\n- The system encrypts exported invoices.\n- The system does not encrypt exported invoices.\n',
      ).map((f) => f.clause),
      [],
    );
  });
  it('compares "Label: value" fragments within one section, quoting the values as written', () => {
    const found = findings(
      '# Portal\n\n## Constraints\n\n- Session timeout: 15 minutes\n- Session timeout: 30 minutes\n- Supported browsers: Chrome\n- Supported browsers: Firefox\n\n## Staging constraints\n\n- Region: EU\n\n## Production constraints\n\n- Region: US\n',
    );
    assertPair(found, 'conflict-numeric', 'Session timeout: 15 minutes', 'Session timeout: 30 minutes');
    assert.ok(
      found.find((f) => f.clause.includes('15 minutes'))!.message.includes('"15 minutes" here and "30 minutes" there'),
      'the message quotes the values, not "be 15 minutes"',
    );
    assert.deepStrictEqual(
      found.filter((f) => /browsers|Region/.test(f.clause)).map((f) => f.clause),
      [],
      'a many-valued label, and one label in two contexts',
    );
  });
});

describe('instruction-file conflicts (issue 11)', () => {
  const findings = (markdown: string) => {
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, ['file:///agent']);
    workspace.setConfig(resolveConfig({}));
    workspace.markAsSpec('file:///agent/AGENTS.md');
    workspace.update('file:///agent/AGENTS.md', markdown, 1);
    return conflictsIn(workspace).filter((f) => f.severity === 'warning');
  };
  it('a ban with an exception collides with a duty whose condition is not that exception, not with the exception itself', () => {
    const found = findings(
      '# Agent\n\n## Compensation\n\n- Do not offer compensation to a customer unless they ask for it.\n- If the user complains about a late delivery, offer a voucher.\n- If the customer asks for compensation, offer a voucher.\n',
    );
    assertPair(
      found,
      'conflict-opposite-obligation',
      'Do not offer compensation to a customer unless they ask for it.',
      'If the user complains about a late delivery, offer a voucher.',
    );
    const message = found.find((f) => f.clause.startsWith('Do not offer'))!.message;
    assert.ok(
      message.includes('"unless they ask for it."') &&
        message.includes('"If the user complains about a late delivery"'),
      `the message quotes the exception and the condition: ${message}`,
    );
    assert.deepStrictEqual(
      found
        .filter((f) => f.clause.includes('asks for compensation') || f.other?.includes('asks for compensation'))
        .map((f) => f.clause),
      [],
      'the duty under the exception is what the ban allows',
    );
  });
  it('a call limit collides with a step that calls the tool more often, in one sentence or across the steps of one list', () => {
    const found = findings(
      '# Agent\n\n## Tools\n\n- Each tool may be called once per order.\n- Call the refund tool, then call the refund tool again to confirm.\n\n## Changes\n\n- The modify_order tool can only be called once per order.\n\n## Changing an order\n\n1. Call modify_order to change the address.\n2. Call modify_order to change the items.\n\n## Cancelling\n\n1. Call cancel_order with the order id.\n',
    );
    assertPair(
      found,
      'conflict-numeric',
      'Each tool may be called once per order.',
      'Call the refund tool, then call the refund tool again',
    );
    // the second call in the list breaks both the tool's own limit and the limit on every tool
    const onStep = found
      .filter((f) => f.ruleId === 'conflict-numeric' && f.clause === 'Call modify_order to change the items.')
      .map((f) => f.other)
      .sort();
    assert.deepStrictEqual(onStep, [
      'Each tool may be called once per order.',
      'The modify_order tool can only be called once per order.',
    ]);
    assert.ok(
      found.some(
        (f) => f.clause.startsWith('The modify_order tool') && f.message.includes('call number 2 of modify_order'),
      ),
    );
    assert.ok(
      found.find((f) => f.clause.startsWith('Call the refund'))!.message.includes('calls the refund tool 2 times'),
    );
    assert.deepStrictEqual(
      found.filter((f) => /cancel_order|change the address/.test(f.clause)).map((f) => f.clause),
      [],
      'one call of a tool is within the limit',
    );
  });
  it('"only admins" is quoted as written in the exclusive-choice message', () => {
    const found = findings(
      '# Projects\n\n## Deleting\n\n- Only admins may delete projects.\n- Members may delete projects.\n',
    );
    assertPair(found, 'conflict-exclusive-choice', 'Only admins may delete projects.', 'Members may delete projects.');
    for (const finding of found)
      assert.ok(
        finding.message.includes('"Only admins"') &&
          finding.message.includes('"Members"') &&
          !/\badmin\b(?!s)/.test(finding.message),
        finding.message,
      );
  });
});
