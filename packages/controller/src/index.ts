// @weir/controller — the local controller. So far: the pipeline declaration (tables with
// contracts, registers and marks, priority bands, cookies) and the contract-checking flow builder.
export * from './errors.js';
export * from './pipeline/index.js';
export * from './flows/index.js';
