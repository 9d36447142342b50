export * from './mac.js';
export * from './ipv4.js';
export * from './ipv6.js';
