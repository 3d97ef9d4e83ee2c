// The inputs issue 9 named as breaking or stalling a run, generated (never stored): the robustness
// tests lint each of them, and `npm run bench` prints how long each takes against the 10 s budget.

/** Ends every input: a link to a section that does not exist, so a finding proves the file was read to its end. */
export const TAIL = '\n\n## After {#after}\n\nSee [the missing part](#nowhere).\n';

const HEAD = '# Hostile input {#hostile}\n\nThe assistant must answer every question.\n\n';

/** One 5 MB line of words without a full stop. */
function longLine(): string {
  return HEAD + 'The assistant must answer ' + filled(5 * 1024 * 1024, (i) => `word${i % 97} `, '') + TAIL;
}

/** A table of 50,000 rows. */
function bigTable(): string {
  const rows = Array.from(
    { length: 50_000 },
    (_, i) => `| R-${i} | The system should respond as appropriate to request ${i} |`,
  );
  return HEAD + '| id | rule |\n|---|---|\n' + rows.join('\n') + TAIL;
}

/** 100,000 `[^id]` markers in one paragraph. */
function denseMarkers(): string {
  return (
    HEAD +
    'The assistant must cite its sources ' +
    Array.from({ length: 100_000 }, (_, i) => `[^m${i}]`).join(' ') +
    '.' +
    TAIL
  );
}

/** 3,000 nested block quotes on one line. */
function deepQuotes(): string {
  return HEAD + '>'.repeat(3000) + ' deeply quoted' + TAIL;
}

/** A link whose target is malformed percent-encoding. */
function malformedLink(): string {
  return HEAD + 'See [b](#%).' + TAIL;
}

/** 20,000 blank lines: a regex whose `\s` crossed line breaks took minutes on a run of them. */
function blankLines(): string {
  return HEAD + '\n'.repeat(20_000) + TAIL;
}

/** Half a megabyte of list items and headings with old Mac line endings (a lone \r). */
function carriageReturns(): string {
  return filled(512 * 1024, (i) => `- The assistant must answer item ${i}.\r### Heading ${i}\r\r`) + TAIL;
}

/** An EARS trigger with 100,000 words and no SHALL on one line (a two-gap regex took its square). */
function longEarsLine(): string {
  return HEAD + 'WHEN ' + 'the '.repeat(100_000) + 'request arrives.\n' + TAIL;
}

/** A heading whose `{#id key=value}` part can be read in many ways (a regex took exponential time). */
function ambiguousHeadingAttributes(): string {
  return HEAD + '## Title {#"a"="' + '" {="" {="'.repeat(40) + '{\n\nThe assistant must answer.\n' + TAIL;
}

/** A heading ending in 40 empty HTML comments and then a word (a regex took exponential time). */
function headingComments(): string {
  return HEAD + '## Title ' + '<!----> <!----> '.repeat(40) + 'x\n\nThe assistant must answer.\n' + TAIL;
}

/** A 360 KB line of unclosed link destinations `](#` and autolinks `<http:` (each was rescanned to the line's end). */
function unclosedDestinations(): string {
  return HEAD + 'The assistant must answer ' + '](#<http:'.repeat(40_000) + '\n' + TAIL;
}

/** A distinct lower-case word for each number (rules cache their results by sentence text). */
function tag(i: number): string {
  return [...i.toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join('');
}

/**
 * Example fences whose label comments never close: a `<!-- GOOD:` followed by 16 KB of spaces, and a
 * `<!-- BAD:` after `<assistant>` whose `-->` is two lines on (one regex read them in cubic time: 4 KB took 39 s).
 */
function unclosedLabelComments(): string {
  return (
    HEAD +
    '```\n<!--GOOD: ' +
    ' '.repeat(16_384) +
    '\n```\n\n```xml\n<user>hi</user>\n<assistant> <!-- BAD: ' +
    ' '.repeat(16_384) +
    '\nreason\nmore -->\nanswer\n</assistant>\n```\n' +
    TAIL
  );
}

/**
 * 200,000 `<!--` that never close, in an HTML block inside a block quote, so that the quote ends it and
 * the tail is read (each was searched to the end of the block: 75 s).
 */
function unclosedComments(): string {
  return HEAD + '> ' + '<!--'.repeat(200_000) + '\n' + TAIL;
}

/** An example fence of 90,000 messages that never close (each close tag was searched to the fence's end). */
function unclosedMessages(): string {
  return HEAD + '```xml\n' + '<user>\nx\n'.repeat(90_000) + '```\n' + TAIL;
}

/** 400 sentences of 3,000 characters: "must call" a long word, and a long run of "-." before a "/". */
function longIdentifiers(): string {
  const sentences = [];
  for (let i = 0; i < 400; i++) {
    sentences.push(`The agent must call ${(tag(i) + 'q').padEnd(2970, 'a')}.`);
    sentences.push(`The agent must use ${tag(i)} ${'-.'.repeat(1480)}/ now.`);
  }
  return HEAD + sentences.join('\n\n') + TAIL;
}

/** A generated 10 MB spec: sections with ids, markers, references, lists and example transcripts. */
export function generatedSpec(): { text: string; sections: number } {
  const unit = [
    '## Section {#section-N authority=developer}',
    '',
    'The assistant should answer briefly, e.g. in one sentence, unless asked otherwise [^marker-N]. See [?](#section-N).',
    '',
    '- A list item with *emphasis* and `code`.',
    '',
    '**Example**: a short exchange',
    '',
    '~~~xml',
    '<user>',
    'Summarise this.',
    '</user>',
    '<comparison>',
    '<assistant>',
    '<!-- GOOD -->',
    'A summary.',
    '</assistant>',
    '</comparison>',
    '~~~',
    '',
  ].join('\n');
  let units = 0;
  const text = filled(
    10 * 1024 * 1024,
    (n) => (units++, unit.replace(/-N\b/g, `-${n}`)),
    '# Generated {#generated authority=root}\n\n',
  );
  // the title section, one per unit, and the tail's
  return { text: text + TAIL, sections: units + 2 };
}

/**
 * About four megabytes of the generated spec, cut at a section and ending in `## Last rule {#last}`
 * with a link to a missing section: a big file for the language server tests.
 */
export function fourMegabyteSpec(): string {
  const text = generatedSpec().text;
  const cut = text.indexOf('\n## Section', 4_000_000) + 1;
  return text.slice(0, cut) + '## Last rule {#last}\n\nSee [the missing part](#nowhere).\n';
}

/** Each input by file name, with what it is. */
export const HOSTILE_INPUTS: { file: string; what: string; text: () => string }[] = [
  { file: 'long-line.md', what: 'a 5 MB line without full stops', text: longLine },
  { file: 'big-table.md', what: 'a 50,000-row table', text: bigTable },
  { file: 'dense-markers.md', what: '100,000 [^id] markers in one paragraph', text: denseMarkers },
  { file: 'deep-quotes.md', what: '3,000 nested ">"', text: deepQuotes },
  { file: 'malformed-link.md', what: 'a malformed link [b](#%)', text: malformedLink },
  { file: 'blank-lines.md', what: '20,000 blank lines', text: blankLines },
  { file: 'carriage-returns.md', what: 'half a megabyte with old Mac line endings (\\r)', text: carriageReturns },
  { file: 'long-ears-line.md', what: 'an EARS trigger and 100,000 words on one line', text: longEarsLine },
  {
    file: 'heading-attributes.md',
    what: 'a heading with ambiguous {#id key=value} text',
    text: ambiguousHeadingAttributes,
  },
  { file: 'heading-comments.md', what: 'a heading with 80 HTML comments', text: headingComments },
  {
    file: 'unclosed-destinations.md',
    what: 'a 360 KB line of unclosed "](#" and "<http:"',
    text: unclosedDestinations,
  },
  {
    file: 'unclosed-label-comments.md',
    what: 'example label comments that never close',
    text: unclosedLabelComments,
  },
  { file: 'unclosed-comments.md', what: '200,000 unclosed "<!--"', text: unclosedComments },
  { file: 'unclosed-messages.md', what: 'an example of 90,000 unclosed messages', text: unclosedMessages },
  {
    file: 'long-identifiers.md',
    what: '800 sentences of 3,000-character tool names and paths',
    text: longIdentifiers,
  },
  { file: 'generated.md', what: 'a generated 10 MB spec', text: () => generatedSpec().text },
];

/** Repeats `unit(i)` after the head until the text reaches `bytes`. */
function filled(bytes: number, unit: (i: number) => string, head = HEAD): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const part = unit(i);
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/**
 * Dense shapes a big spec may take, each generated at any size: `npm run bench` times them at 10 MB,
 * the robustness tests lint them smaller. A tight list and a block quote are one container for
 * remark; an RFC paragraph on one line holds tens of thousands of clauses.
 */
export const DENSE_SHAPES: { file: string; what: string; text: (bytes: number) => string }[] = [
  {
    file: 'rich-list.md',
    what: 'a tight list, every item with bold, a link and code',
    text: (bytes) =>
      filled(bytes, (i) => `- The assistant **must** answer item ${i} with a [link](#hostile) and \`code\`.\n`) + TAIL,
  },
  {
    file: 'nested-list.md',
    what: 'a tight list nested three deep',
    text: (bytes) =>
      filled(
        bytes,
        (i) => `- Item ${i} must be handled\n  - nested ${i} should be fine\n    1. deep ${i} may be done\n`,
      ) + TAIL,
  },
  {
    file: 'quote.md',
    what: 'one block quote of rules',
    text: (bytes) => filled(bytes, (i) => `> The assistant should quote ${i} as appropriate.\n>\n`) + TAIL,
  },
  {
    file: 'rfc-paragraph.md',
    what: 'one paragraph of RFC sentences on one line',
    text: (bytes) =>
      filled(bytes, (i) => `The client MUST send header ${i}. The server SHOULD respond within a reasonable time. `) +
      TAIL,
  },
];
