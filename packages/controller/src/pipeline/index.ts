export * from './apps.js';
export * from './cookies.js';
export * from './priorities.js';
export * from './registers.js';
export * from './table.js';
export * from './tables.js';
export { renderPipelineDoc } from './doc.js';
