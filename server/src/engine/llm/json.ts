/**
 * The JSON values a model's answer can be read as, most literal first: the whole text, the first
 * ```json fence, the outermost {...}. Endpoints without structured output wrap JSON in prose or fences.
 */
export function jsonReadings(text: string): unknown[] {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed)?.[1];
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  const braced = start >= 0 && end > start ? trimmed.slice(start, end + 1) : undefined;
  const values: unknown[] = [];
  for (const candidate of [trimmed, fenced, braced]) {
    if (!candidate) continue;
    try {
      values.push(JSON.parse(candidate));
    } catch {
      // not this reading
    }
  }
  return values;
}
