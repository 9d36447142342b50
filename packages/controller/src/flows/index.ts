export * from './actions.js';
export * from './builder.js';
export { checkActions, checkJump, checkMatch, type ContractRule } from './contract.js';
export * from './miss.js';
export * from './sweep.js';
export * from './text.js';
