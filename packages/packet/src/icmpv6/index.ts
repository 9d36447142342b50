export * from './messages.js';
export * from './nd-options.js';
