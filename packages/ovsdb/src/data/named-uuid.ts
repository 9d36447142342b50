// A reference, inside one transaction, to a row inserted earlier in the same transaction
// (RFC 7047 5.1 "uuid-name" / <named-uuid>). It is a class rather than a string so that it can
// never be confused with a real UUID or a string column value.
import { OvsdbError } from '../errors.js';

const ID = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export class NamedUuid {
  constructor(readonly name: string) {
    if (!ID.test(name)) {
      throw new OvsdbError(
        'OVSDB_INVALID_ARGUMENT',
        `invalid uuid-name ${JSON.stringify(name)} (want an <id>)`,
      );
    }
  }

  toJSON(): readonly ['named-uuid', string] {
    return ['named-uuid', this.name];
  }

  toString(): string {
    return this.name;
  }
}

export function namedUuid(name: string): NamedUuid {
  return new NamedUuid(name);
}
