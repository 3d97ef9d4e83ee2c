import type { ChatMessage } from '../llm/client';
import type { ClauseTestUnit, ExampleResult, GraderVerdict, SampleResult, UnitResult } from './types';
import { CALIBRATION_MESSAGE } from './types';

export interface HtmlReportOptions {
  /** The model under test and the grader(s), as run. */
  model: string;
  graders: string[];
  /** Shown as the place of a unit or an example, e.g. a path relative to the working folder. */
  where: (uri: string, line: number) => string;
  /** Epoch milliseconds of the run. */
  generatedAt: number;
  calibrate?: boolean;
}

/**
 * One self-contained HTML page for a clause-test run: no script, no external resource (its CSP
 * forbids both), so it opens the same from a CI artifact, a mail attachment or a webview. Per unit:
 * pass rate, context, samples and graders; each failed or flaky example opens with its
 * conversation, the answers and every grader's rationale. A checkbox (CSS only) hides what passed.
 */
export function formatHtmlReport(results: UnitResult[], units: ClauseTestUnit[], options: HtmlReportOptions): string {
  const unitsByKey = new Map(units.map((unit) => [unit.uri + '\0' + unit.id, unit]));
  const totals = { passed: 0, failed: 0, flaky: 0, errors: 0, skipped: 0 };
  const sections: string[] = [];
  for (const result of results) {
    const unit = unitsByKey.get(result.uri + '\0' + result.unitId);
    sections.push(options.calibrate ? calibrationSection(result, options) : unitSection(result, unit, options, totals));
  }
  const contexts = [...new Set(results.map((r) => r.context ?? 'none'))];
  const repeats = [...new Set(results.map((r) => r.repeat ?? 1))];
  const summary = options.calibrate
    ? `${results.reduce((n, r) => n + (r.calibration ?? []).filter((c) => c.agrees).length, 0)} labelled references read as labelled, ${results.reduce((n, r) => n + (r.calibration ?? []).filter((c) => !c.agrees).length, 0)} not`
    : [
        `${totals.passed} passed`,
        `${totals.failed} failed`,
        totals.flaky && `${totals.flaky} flaky`,
        totals.errors && `${totals.errors} errors`,
        totals.skipped && `${totals.skipped} skipped`,
      ]
        .filter(Boolean)
        .join(' · ');
  const title = options.calibrate ? 'Grader calibration' : 'Clause test report';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}: ${escape(summary)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p class="summary" data-testid="summary">${escape(summary)}</p>
<dl class="run">
<dt>Model under test</dt><dd>${escape(options.model)}</dd>
<dt>Grader${options.graders.length === 1 ? '' : 's'}</dt><dd>${escape(options.graders.join(', '))}${options.graders.length > 1 ? ' (majority decides)' : ''}</dd>
${options.calibrate ? '' : `<dt>Spec in context</dt><dd>${escape(contexts.map(contextLabel).join(', '))}</dd>\n<dt>Samples per example</dt><dd>${escape(repeats.join(', '))}</dd>`}
<dt>Run</dt><dd>${escape(new Date(options.generatedAt).toISOString().replace('T', ' ').slice(0, 19))} UTC</dd>
</dl>
<label class="filter"><input type="checkbox" id="only-failures"> Show only failed, flaky and errored examples</label>
</header>
<main>
${sections.join('\n') || '<p class="empty">No examples ran.</p>'}
</main>
</body>
</html>
`;
}

function contextLabel(context: string): string {
  switch (context) {
    case 'none':
      return 'none (the example alone)';
    case 'clause':
      return 'the clause';
    case 'section':
      return 'the clause’s section';
    default:
      return 'the whole spec';
  }
}

type Totals = { passed: number; failed: number; flaky: number; errors: number; skipped: number };

function unitSection(
  result: UnitResult,
  unit: ClauseTestUnit | undefined,
  options: HtmlReportOptions,
  totals: Totals,
): string {
  const ran = result.examples.filter((e) => e.status !== 'skipped');
  const passed = ran.filter((e) => e.status === 'passed').length;
  const flaky = result.examples.filter((e) => e.flaky).length;
  const bad = ran.length - passed;
  totals.passed += passed;
  totals.failed += result.examples.filter((e) => e.status === 'failed').length;
  totals.errors += result.examples.filter((e) => e.status === 'error').length;
  totals.skipped += result.examples.length - ran.length;
  totals.flaky += flaky;
  const samples = result.examples.reduce((n, e) => n + (e.samples?.length ?? (e.status === 'skipped' ? 0 : 1)), 0);
  const passedSamples = result.examples.reduce(
    (n, e) => n + (e.samples ? e.samples.filter((s) => s.status === 'passed').length : e.status === 'passed' ? 1 : 0),
    0,
  );
  const state = bad ? 'bad' : flaky ? 'flaky' : 'ok';
  const icon = bad ? '✗' : flaky ? '≈' : '✓';
  const facts = [
    `<span class="rate" title="examples that passed">${passed}/${ran.length} examples</span>`,
    samples !== ran.length
      ? `<span title="samples that passed, over all examples">${passedSamples}/${samples} samples</span>`
      : '',
    flaky ? `<span class="flaky-count">${flaky} flaky</span>` : '',
    `<span>context: ${escape(result.context ?? 'none')}</span>`,
    `<span>${escape(String(result.repeat ?? 1))} sample${(result.repeat ?? 1) === 1 ? '' : 's'} each${result.threshold !== undefined && result.threshold < 1 ? `, pass at ${Math.round(result.threshold * 100)}%` : ''}</span>`,
    `<span>grader${(result.graders?.length ?? 1) === 1 ? '' : 's'}: ${escape((result.graders ?? [result.grader]).join(', '))}</span>`,
  ].filter(Boolean);
  const clauseText = unit?.clauseText ?? result.title;
  const examples = result.examples.map((example) => exampleBlock(example, unit, options)).join('\n');
  return `<section class="unit ${state}" id="${escape(anchor(result))}" data-unit="${escape(result.unitId)}">
<details${state === 'ok' ? '' : ' open'}>
<summary><span class="icon">${icon}</span> <span class="unit-id">${escape(result.kind)} ${escape(result.unitId)}</span> <span class="where">${escape(options.where(result.uri, result.range.start.line + 1))}</span> <span class="facts">${facts.join(' · ')}</span></summary>
<blockquote class="clause">${escape(clauseText)}</blockquote>
${unit?.sectionTitle ? `<p class="section-title">Section: ${escape(unit.sectionTitle)}${unit.authority ? ` · authority ${escape(unit.authority)}` : ''}</p>` : ''}
${examples}
</details>
</section>`;
}

function anchor(result: UnitResult): string {
  return `unit-${result.unitId}`.replace(/[^\w-]/g, '-');
}

function exampleBlock(example: ExampleResult, unit: ClauseTestUnit | undefined, options: HtmlReportOptions): string {
  const state =
    example.status === 'passed' ? (example.flaky ? 'flaky' : 'ok') : example.status === 'skipped' ? 'skipped' : 'bad';
  const icon = { ok: '✓', flaky: '≈', bad: example.status === 'error' ? '!' : '✗', skipped: '–' }[state];
  const rate =
    example.samples && example.samples.length > 1
      ? ` · ${example.samples.filter((s) => s.status === 'passed').length}/${example.samples.length} samples passed`
      : '';
  const flaky = example.flaky ? ' · <span class="flaky-count">flaky: the samples disagree</span>' : '';
  const source = unit?.examples.find((e) => e.key === example.exampleKey);
  const body: string[] = [];
  if (example.message) body.push(`<p class="message">${escape(example.message)}</p>`);
  if (source?.messages.length) body.push(conversation(source.messages));
  const samples: SampleResult[] =
    example.samples ??
    (example.status === 'skipped'
      ? []
      : [
          {
            status: example.status === 'passed' ? 'passed' : example.status === 'failed' ? 'failed' : 'error',
            answer: example.answer,
            verdicts: example.verdict ? [{ grader: '', verdict: example.verdict }] : [],
            message: example.message,
          },
        ]);
  samples.forEach((sample, index) => body.push(sampleBlock(sample, index, samples.length)));
  const references = source?.references.filter((r) => r.label) ?? [];
  if (references.length) {
    body.push(
      `<div class="references"><h4>The spec’s reference answers</h4>${references.map((r) => `<div class="reference ${r.label === 'BAD' ? 'bad' : 'good'}"><span class="label">${escape(r.label!)}${r.reason ? `: ${escape(r.reason)}` : ''}</span><pre>${escape(r.content)}</pre></div>`).join('')}</div>`,
    );
  }
  return `<article class="example ${state}" data-status="${escape(example.status)}${example.flaky ? ' flaky' : ''}">
<details${state === 'bad' || state === 'flaky' ? ' open' : ''}>
<summary><span class="icon">${icon}</span> ${escape(example.title)} <span class="where">${escape(options.where(example.uri, example.range.start.line + 1))}</span>${rate}${flaky}</summary>
${body.join('\n')}
</details>
</article>`;
}

function conversation(messages: ChatMessage[]): string {
  return `<div class="conversation"><h4>Conversation</h4>${messages.map((m) => `<div class="turn ${escape(m.role)}"><span class="role">${escape(m.role)}</span><pre>${escape(m.content)}</pre></div>`).join('')}</div>`;
}

function sampleBlock(sample: SampleResult, index: number, count: number): string {
  const heading = count > 1 ? `Answer ${index + 1} of ${count}` : 'Answer';
  const verdicts = sample.verdicts.map(verdictLine).join('');
  return `<div class="sample ${sample.status}"><h4>${heading} <span class="sample-status">${sample.status}</span></h4>${sample.answer !== undefined ? `<pre class="answer">${escape(sample.answer)}</pre>` : ''}${sample.message && !sample.verdicts.length ? `<p class="message">${escape(sample.message)}</p>` : ''}${verdicts ? `<ul class="verdicts">${verdicts}</ul>` : ''}</div>`;
}

function verdictLine(graded: GraderVerdict): string {
  const who = graded.grader ? `<span class="grader">${escape(graded.grader)}</span> ` : '';
  if (!graded.verdict)
    return `<li class="verdict error">${who}gave no verdict: ${escape(graded.message ?? 'unknown error')}</li>`;
  const { pass, score, rationale } = graded.verdict;
  return `<li class="verdict ${pass ? 'pass' : 'fail'}">${who}<b>${pass ? 'pass' : 'fail'}</b> (score ${score.toFixed(2)}): <span class="rationale">${escape(rationale || 'no rationale given')}</span></li>`;
}

function calibrationSection(result: UnitResult, options: HtmlReportOptions): string {
  const rows = result.calibration ?? [];
  const bad = rows.filter((c) => !c.agrees);
  const state = bad.length ? 'bad' : 'ok';
  return `<section class="unit ${state}" id="${escape(anchor(result))}">
<details${bad.length ? ' open' : ''}>
<summary><span class="icon">${bad.length ? '✗' : '✓'}</span> <span class="unit-id">${escape(result.kind)} ${escape(result.unitId)}</span> <span class="where">${escape(options.where(result.uri, result.range.start.line + 1))}</span> <span class="facts">grader agrees with ${rows.length - bad.length}/${rows.length} labelled references</span></summary>
<blockquote class="clause">${escape(result.title)}</blockquote>
${bad.length ? `<p class="message">${escape(CALIBRATION_MESSAGE)}</p>` : ''}
${rows
  .map(
    (c) =>
      `<article class="example ${c.agrees ? 'ok' : 'bad'}"><details${c.agrees ? '' : ' open'}><summary><span class="icon">${c.agrees ? '✓' : '✗'}</span> ${escape(c.label)} reference of “${escape(c.title)}” <span class="where">${escape(options.where(c.uri, c.range.start.line + 1))}</span></summary><pre class="answer">${escape(c.reference)}</pre><ul class="verdicts">${verdictLine({ grader: '', verdict: c.verdict, message: c.message })}</ul></details></article>`,
  )
  .join('\n')}
</details>
</section>`;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --flaky: #9a6700; --muted: #6e7781; --line: #d0d7de; --bg2: rgba(127,127,127,.08); }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 0 1.5rem 3rem; max-width: 70rem; }
header { position: sticky; top: 0; background: Canvas; padding: .75rem 0; border-bottom: 1px solid var(--line); z-index: 1; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h4 { margin: .75rem 0 .25rem; font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.summary { font-weight: 600; margin: 0 0 .25rem; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: .25rem 0 .5rem; font-size: .9rem; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; }
.filter { display: inline-block; padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
body:has(#only-failures:checked) .filter { background: var(--bg2); font-weight: 600; }
body:has(#only-failures:checked) main .unit.ok, body:has(#only-failures:checked) main .example.ok, body:has(#only-failures:checked) main .example.skipped { display: none; }
.unit { border: 1px solid var(--line); border-left: 4px solid var(--ok); border-radius: 4px; margin: 1rem 0; padding: .25rem .75rem; }
.unit.bad { border-left-color: var(--bad); }
.unit.flaky { border-left-color: var(--flaky); }
summary { cursor: pointer; padding: .25rem 0; }
.unit > details > summary { font-weight: 600; }
.icon { display: inline-block; width: 1.2em; text-align: center; }
.ok > details > summary .icon { color: var(--ok); }
.bad > details > summary .icon { color: var(--bad); }
.flaky > details > summary .icon, .flaky-count { color: var(--flaky); }
.where, .facts, .section-title { color: var(--muted); font-weight: normal; font-size: .9rem; }
blockquote.clause { margin: .5rem 0; padding: .25rem .75rem; border-left: 3px solid var(--line); background: var(--bg2); }
.example { border-top: 1px solid var(--line); padding: .25rem 0 .25rem .5rem; }
pre { white-space: pre-wrap; word-break: break-word; margin: .25rem 0; padding: .5rem; background: var(--bg2); border-radius: 4px; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.turn { display: grid; grid-template-columns: 6.5rem 1fr; gap: .5rem; align-items: start; }
.role { color: var(--muted); font-size: .85rem; padding-top: .6rem; text-align: right; }
.turn.developer .role, .turn.system .role { font-style: italic; }
.reference .label { font-size: .85rem; font-weight: 600; }
.reference.good .label { color: var(--ok); }
.reference.bad .label { color: var(--bad); }
.sample { margin-top: .5rem; }
.sample-status { text-transform: none; letter-spacing: 0; font-weight: 600; }
.sample.passed .sample-status { color: var(--ok); }
.sample.failed .sample-status, .sample.error .sample-status { color: var(--bad); }
ul.verdicts { list-style: none; padding: 0; margin: .25rem 0; }
.verdict { padding: .15rem 0; }
.verdict.pass b { color: var(--ok); }
.verdict.fail b, .verdict.error { color: var(--bad); }
.grader { font-family: ui-monospace, monospace; font-size: .85rem; background: var(--bg2); padding: 0 .3rem; border-radius: 3px; }
.message { color: var(--bad); }
.empty { color: var(--muted); }
`;
