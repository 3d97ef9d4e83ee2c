import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Root } from 'mdast';

const processor = unified().use(remarkParse);

/** CommonMark parse with remark-parse. Offsets in the tree are relative to `text`. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
}
