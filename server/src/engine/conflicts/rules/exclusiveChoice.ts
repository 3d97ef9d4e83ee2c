import { EXCLUSIVE_CHOICE } from '../detect';
import { contradictionRule } from './rule';

export const exclusiveChoice = contradictionRule(
  EXCLUSIVE_CHOICE,
  'Two clauses make choices that exclude each other ("only through A" vs "through B"; "relational" vs "non-relational" store; two values where one is allowed).',
);
