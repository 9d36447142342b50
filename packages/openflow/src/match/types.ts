import type { FieldMatch } from '../fields/types.js';

/** An OXM entry this library does not know, kept verbatim so nothing from a switch is lost. */
export interface UnknownMatchField {
  readonly field: 'unknown';
  readonly oxmClass: number;
  readonly oxmField: number;
  readonly experimenter?: number;
  readonly hasMask: boolean;
  /** Value (and mask, if any) bytes exactly as received. */
  readonly payload: Buffer;
}

export type MatchEntry = FieldMatch | UnknownMatchField;

/**
 * A match is a set of field constraints. Order does not matter to callers: the encoder emits
 * fields in Open vSwitch's canonical order (prerequisites first), and the decoder returns them in
 * wire order, which for anything a switch sends is that same canonical order.
 */
export type Match = readonly MatchEntry[];
