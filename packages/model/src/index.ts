// @weir/model — the northbound objects: types, schemas (TypeBox), table registry with indexes,
// validation, and the one catalogue of Weir error codes.
export * from './errors.js';
export * from './schema/common.js';
export * from './schema/network.js';
export * from './schema/lb.js';
export * from './schema/identity.js';
export * from './tables.js';
export { validateObject, assertValid, describeErrors } from './validate.js';
export { registerFormats, isCidr, isIp, FORMATS } from './formats.js';
