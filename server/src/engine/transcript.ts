import type { Label, Message, Role, Transcript, TranscriptProblem } from './model';
import { ROLES } from './model';

/** Tags that may appear inside a message's content without being messages themselves. */
const CONTENT_TAGS = new Set(['settings', 'untrusted', 'image', 'audio', 'file', 'attachment']);
const LABELS = new Set(['GOOD', 'BAD', 'OK']);

const OPEN_TAG = /^<([a-zA-Z_][\w-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/;
const CLOSE_TAG = /^<\/([a-zA-Z_][\w-]*)\s*>/;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** The head of a label comment, `<!-- GOOD [#ref]:` or a whole `<!-- BAD -->`; its reason is read by `labelComment`. */
const LABEL_COMMENT_HEAD = /^\s*<!--\s*([A-Za-z]+)\s*(?:\[#([^\]]*)\]\s*)?([:,]|-->)/;

/** A label comment at the start of `text`: its label, reference, reason (after `:` or `,`) and length. */
interface LabelComment {
  label: string;
  reference?: string;
  reason?: string;
  /** From the start of `text` to the end of `-->`. */
  length: number;
}

/**
 * Reads a label comment at the start of `text`, or undefined. The reason runs to the first `-->`,
 * found with indexOf: one regex across it cost the cube of its length (a 4 KB comment took 39 s) or,
 * written linearly, overflowed the regex stack on a 10 MB one.
 */
function labelComment(text: string): LabelComment | undefined {
  const head = LABEL_COMMENT_HEAD.exec(text);
  if (!head) return undefined;
  const base = { label: head[1], reference: head[2] };
  if (head[3] === '-->') return { ...base, length: head[0].length };
  const close = text.indexOf('-->', head[0].length);
  if (close < 0) return undefined;
  return { ...base, reason: text.slice(head[0].length, close), length: close + 3 };
}

/**
 * Parses a `~~~xml` transcript: role elements in order, `<comparison>` groups of labelled
 * assistant answers. Offsets in the result are `base` plus offsets into `content`.
 * Never throws: anything malformed becomes a problem with a span.
 */
export function parseTranscript(content: string, base: number): Transcript {
  const messages: Message[] = [];
  const comparisons: { start: number; end: number }[] = [];
  const problems: TranscriptProblem[] = [];
  let comparisonStart: number | undefined;
  let comparisonIndex = -1;
  let comparisonHasGood = false;
  let comparisonAnswers = 0;
  /** A lone BAD answer that says why it is bad is a recorded precedent: graders know what fails. */
  let comparisonReasonedBad = false;
  let pos = 0;
  /** Unknown tags already reported at their opening: their closing tags are not reported again. */
  const unknownOpen: string[] = [];

  const problem = (kind: TranscriptProblem['kind'], message: string, start: number, end: number) =>
    problems.push({ kind, message, span: { start: base + start, end: base + end } });

  while (pos < content.length) {
    const lt = content.indexOf('<', pos);
    if (lt < 0) break;
    const rest = content.slice(lt, lt + 4096);
    if (rest.startsWith('<!--')) {
      const close = content.indexOf('-->', lt + 4);
      const end = close < 0 ? content.length : close + 3;
      const label = labelComment(content.slice(lt, end));
      if (label && LABELS.has(label.label.toUpperCase())) {
        problem(
          'label-outside-comparison',
          `The label ${label.label} is not on an assistant answer: labels belong right after <assistant> inside a <comparison>.`,
          lt,
          end,
        );
      }
      pos = end;
      continue;
    }
    const close = CLOSE_TAG.exec(rest);
    if (close) {
      const name = close[1];
      if (name === 'comparison' && comparisonStart !== undefined) {
        finishComparison(lt + close[0].length, lt);
      } else if (unknownOpen.includes(name)) {
        unknownOpen.splice(unknownOpen.lastIndexOf(name), 1);
      } else {
        problem('unmatched-close', `</${name}> closes nothing: no <${name}> is open here.`, lt, lt + close[0].length);
      }
      pos = lt + close[0].length;
      continue;
    }
    const open = OPEN_TAG.exec(rest);
    if (!open) {
      pos = lt + 1;
      continue;
    }
    const name = open[1];
    const tagEnd = lt + open[0].length;
    if (name === 'comparison') {
      if (comparisonStart !== undefined) {
        problem(
          'nested-comparison',
          'A <comparison> is already open: close it with </comparison> before starting another.',
          lt,
          tagEnd,
        );
      } else {
        comparisonStart = lt;
        comparisonIndex = comparisons.length;
        comparisons.push({ start: base + lt, end: base + content.length });
        comparisonHasGood = false;
        comparisonReasonedBad = false;
        comparisonAnswers = 0;
      }
      pos = tagEnd;
      continue;
    }
    if (!(ROLES as readonly string[]).includes(name)) {
      problem(
        'unknown-tag',
        CONTENT_TAGS.has(name)
          ? `<${name}> belongs inside a message such as <system> or <developer>, not between messages.`
          : `Unknown tag <${name}>: a transcript holds ${ROLES.map((r) => `<${r}>`).join(', ')} and <comparison>.`,
        lt,
        tagEnd,
      );
      if (open[3] !== '/') unknownOpen.push(name);
      pos = tagEnd;
      continue;
    }
    const role = name as Role;
    const attributes: Record<string, string> = {};
    for (const attr of open[2].matchAll(ATTRIBUTE)) attributes[attr[1]] = attr[2] ?? attr[3] ?? '';
    if (open[3] === '/') {
      messages.push({
        role,
        attributes,
        content: '',
        span: span(lt, tagEnd),
        openTagSpan: span(lt, tagEnd),
        contentSpan: span(tagEnd, tagEnd),
      });
      pos = tagEnd;
      continue;
    }
    const closeTag = findClose(content, role, tagEnd);
    let contentStart = tagEnd;
    let label: Message['label'];
    // the label sits on the tag's line in the Model Spec; authors also put it on the next line
    const labelWindowEnd = lineEndAt(content, lineEndAt(content, tagEnd) + 1);
    const labelWindow = content.slice(tagEnd, labelWindowEnd);
    const labelMatch = labelComment(labelWindow);
    if (labelMatch) {
      const commentStart = tagEnd + labelWindow.indexOf('<!--');
      const commentEnd = tagEnd + labelMatch.length;
      const value = labelMatch.label.toUpperCase();
      if (LABELS.has(value) && role === 'assistant') {
        label = {
          value: value as Label,
          reason: labelMatch.reason?.trim() || undefined,
          reference: labelMatch.reference,
          span: span(commentStart, commentEnd),
        };
        if (comparisonStart === undefined) {
          problem(
            'label-outside-comparison',
            `The ${value} label is outside a <comparison>: wrap the labelled answers in <comparison> ... </comparison>.`,
            commentStart,
            commentEnd,
          );
        }
      } else if (LABELS.has(value)) {
        problem(
          'label-outside-comparison',
          `Only assistant answers carry a ${value} label, not <${role}>.`,
          commentStart,
          commentEnd,
        );
      } else if (/^[A-Z]+$/.test(labelMatch.label)) {
        problem(
          'unknown-label',
          `Unknown label "${labelMatch.label}": use GOOD, BAD or OK, optionally with a reason ("<!-- BAD: reason -->").`,
          commentStart,
          commentEnd,
        );
      }
      contentStart = commentEnd;
    }
    if (closeTag < 0) {
      problem('unclosed-tag', `<${role}> is never closed: add </${role}> after the message.`, lt, tagEnd);
      const end = nextTopLevelTag(content, contentStart);
      messages.push(makeMessage(role, attributes, lt, tagEnd, contentStart, end, end, label));
      pos = end;
      continue;
    }
    const closeEnd = content.indexOf('>', closeTag) + 1;
    messages.push(makeMessage(role, attributes, lt, tagEnd, contentStart, closeTag, closeEnd, label));
    pos = closeEnd;
  }
  if (comparisonStart !== undefined) {
    problem(
      'unclosed-tag',
      '<comparison> is never closed: add </comparison> after the last answer.',
      comparisonStart,
      comparisonStart + '<comparison>'.length,
    );
    finishComparison(content.length, content.length, false);
  }
  return { messages, comparisons, problems };

  function finishComparison(end: number, closeTagStart: number, closed = true) {
    comparisons[comparisonIndex].end = base + end;
    if (comparisonAnswers === 0) {
      problem(
        'empty-comparison',
        'This <comparison> holds no labelled assistant answer.',
        comparisonStart!,
        closed ? end : comparisonStart! + 12,
      );
    } else if (!comparisonHasGood && !(comparisonAnswers === 1 && comparisonReasonedBad)) {
      problem(
        'comparison-without-good',
        'This <comparison> has no GOOD answer: mark the answer the spec wants with <!-- GOOD --> (or OK), so that graders know what passes.',
        comparisonStart!,
        comparisonStart! + '<comparison>'.length,
      );
    }
    void closeTagStart;
    comparisonStart = undefined;
  }

  function makeMessage(
    role: Role,
    attributes: Record<string, string>,
    start: number,
    tagEnd: number,
    contentStart: number,
    contentEnd: number,
    end: number,
    label: Message['label'],
  ): Message {
    const message: Message = {
      role,
      attributes,
      content: trimBlankLines(content.slice(contentStart, contentEnd)),
      span: span(start, end),
      openTagSpan: span(start, tagEnd),
      contentSpan: span(contentStart, contentEnd),
      label,
    };
    if (comparisonStart !== undefined && role === 'assistant') {
      message.comparison = comparisonIndex;
      if (label) comparisonAnswers++;
      if (label && (label.value === 'GOOD' || label.value === 'OK')) comparisonHasGood = true;
      if (label?.value === 'BAD' && label.reason) comparisonReasonedBad = true;
    }
    return message;
  }

  function span(start: number, end: number) {
    return { start: base + start, end: base + end };
  }
}

function findClose(content: string, role: string, from: number): number {
  // a following message opened before this close means this one was left open: look only up to it,
  // which also keeps a fence of unclosed messages linear (each one searched to the fence's end)
  const nextOpen = nextTopLevelTag(content, from);
  const match = new RegExp(`</${role}\\s*>`).exec(content.slice(from, nextOpen));
  return match ? from + match.index : -1;
}

/** The start of the next line that opens a message or a comparison, or the end of the content. */
function nextTopLevelTag(content: string, from: number): number {
  const pattern = new RegExp(`^[ \\t]*<(?:${[...ROLES, 'comparison'].join('|')}|/comparison)\\b`, 'gm');
  pattern.lastIndex = from;
  for (let match = pattern.exec(content); match; match = pattern.exec(content)) {
    if (match.index > from) return match.index;
  }
  return content.length;
}

function lineEndAt(content: string, from: number): number {
  const newline = content.indexOf('\n', from);
  return newline < 0 ? content.length : newline;
}

function trimBlankLines(text: string): string {
  return text.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '');
}
