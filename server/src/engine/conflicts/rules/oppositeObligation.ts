import { OPPOSITE_OBLIGATION } from '../detect';
import { contradictionRule } from './rule';

export const oppositeObligation = contradictionRule(
  OPPOSITE_OBLIGATION,
  'Two clauses require and forbid the same action on the same object in the same scope (must X vs must not X).',
);
