import { NUMERIC_CONFLICT } from '../detect';
import { contradictionRule } from './rule';

export const numericConflict = contradictionRule(
  NUMERIC_CONFLICT,
  'Two clauses set different numbers, deadlines or frequencies for the same duty, or limits that no value satisfies (at most 100 words vs at least 200 words; within 14 days vs within 30 days; daily vs weekly).',
);
