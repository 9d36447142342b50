// The JSON encodings of RFC 7047 section 5.1, as sent on the wire.

export type WireAtom =
  string | number | boolean | readonly ['uuid', string] | readonly ['named-uuid', string];
export type WireSet = readonly ['set', readonly WireAtom[]];
export type WireMap = readonly ['map', readonly (readonly [WireAtom, WireAtom])[]];
export type WireDatum = WireAtom | WireSet | WireMap;
export type WireRow = Readonly<Record<string, WireDatum>>;

export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
