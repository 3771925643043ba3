/**
 * Template cards (模板卡片): the guided builder's UI, the body builder and the validator, shared by
 * Message → Send, Message → Update Template Card and Group Robot → Send. The card's fields and rules are
 * described once in templateCard/spec.ts.
 */
export { CARD_TYPES, INTERACTIVE_CARD_TYPES, TASK_ID_PATTERN, TASK_ID_MAX_BYTES, needsTaskId } from './templateCard/spec';
export type { CardType, CardTypeOption } from './templateCard/spec';
export { templateCardProperties, cardParameterNames, DEFAULT_CARD_PREFIX } from './templateCard/properties';
export type { TemplateCardUiOptions } from './templateCard/properties';
export { buildTemplateCard, generateTaskId } from './templateCard/build';
export type { BuildCardOptions, BuiltCard } from './templateCard/build';
export { validateTemplateCard } from './templateCard/validate';
export type { ValidateCardOptions } from './templateCard/validate';
