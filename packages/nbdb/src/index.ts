// @weir/nbdb — the northbound store. See store.ts for the contract every driver honours.
export type * from './store.js';
