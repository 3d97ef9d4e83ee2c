import type { Rule } from '../types';
import { andOr } from './and-or';
import { compoundRequirement } from './compound-requirement';
import { earsRequirement } from './ears-requirement';
import { hedgedRule } from './hedged-rule';
import { untestableAlternative } from './untestable-alternative';
import { untestablePurpose } from './untestable-purpose';
import { vagueBound } from './vague-bound';
import { escapeClause } from './escape-clause';
import { hiddenActorPassive } from './hidden-actor-passive';
import { openEndedList } from './open-ended-list';
import { placeholder } from './placeholder';
import { terminologyDrift } from './terminology-drift';
import { unbaselinedComparative } from './unbaselined-comparative';
import { unclearReference } from './unclear-reference';
import { undefinedTerm } from './undefined-term';
import { unexpandedAcronym } from './unexpanded-acronym';
import { vagueQualifier } from './vague-qualifier';
import { vagueQuantity } from './vague-quantity';
import { weakModality } from './weak-modality';

/** The ambiguity linter: one rule per category of wording two careful readers could read differently. */
export const AMBIGUITY_RULES: readonly Rule[] = [
  vagueQualifier,
  vagueQuantity,
  escapeClause,
  openEndedList,
  unbaselinedComparative,
  weakModality,
  hiddenActorPassive,
  unclearReference,
  andOr,
  placeholder,
  undefinedTerm,
  terminologyDrift,
  unexpandedAcronym,
  vagueBound,
  hedgedRule,
  untestablePurpose,
  untestableAlternative,
  earsRequirement,
  compoundRequirement,
];
