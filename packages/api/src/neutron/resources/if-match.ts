// The core option for a request's If-Match revision (none when the request had no If-Match).
import type { IfMatch } from '../resource.js';

export function ifMatchOption(ifMatch: IfMatch): { ifMatchVersion?: number } {
  return ifMatch.revision === undefined ? {} : { ifMatchVersion: ifMatch.revision };
}
