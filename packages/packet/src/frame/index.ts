export * from './types.js';
export { decodeFrame, decodeIpPacket } from './decode.js';
export { encodeFrame, encodeIpPacket } from './encode.js';
