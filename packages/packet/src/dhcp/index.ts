export * from './constants.js';
export * from './options.js';
export * from './message.js';
