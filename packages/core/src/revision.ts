// Neutron's If-Match on revision_number: a write meant for one revision of an object is refused
// (412) once the object has moved on. Checked on the object read in the same attempt as the
// compare-and-swap write, so the check and the write are atomic.
import { badRequest } from './errors.js';

export function checkRevision(current: { readonly version: number }, ifMatchVersion?: number): void {
  if (ifMatchVersion !== undefined && current.version !== ifMatchVersion) {
    throw badRequest(
      'RevisionNumberConstraintFailed',
      `Constrained to ${ifMatchVersion}, but current revision is ${current.version}`,
    );
  }
}

export interface IfMatchOptions {
  /** Only at this revision (the object's store version), else RevisionNumberConstraintFailed. */
  readonly ifMatchVersion?: number;
}
