// Flow priorities come from named bands, never from raw numbers: a reader of a dump sees at once
// which band a flow is in, and two apps cannot fight over "priority 100" by accident.
//
//   band       value            use
//   miss       0                the table's declared miss flow (installed by the pipeline only)
//   low        1000 + offset    an app's own defaults below its specific flows (e.g. a port's drop)
//   normal     2000 + offset    the ordinary specific flows of a table
//   high       3000 + offset    exceptions that must beat normal flows (e.g. broadcast before lookup)
//   override   4000 + offset    must beat everything in the table (e.g. drop of a forged packet)
//
// Offsets run 0..999 inside a band, so a band has room for an ordering of its own — longest prefix
// match puts the prefix length there (a /24 route at normal+24 beats a /16 at normal+16).
import { ControllerError } from '../errors.js';

export const PRIORITY_BANDS = {
  miss: 0,
  low: 1000,
  normal: 2000,
  high: 3000,
  override: 4000,
} as const;

export type PriorityBand = keyof typeof PRIORITY_BANDS;

/** Room inside one band. */
export const BAND_WIDTH = 1000;

const brand: unique symbol = Symbol('weir.priority');

/** A priority made by `priority()`. The builder refuses anything else, numbers included. */
export interface Priority {
  readonly [brand]: true;
  readonly band: PriorityBand;
  readonly offset: number;
  /** The OpenFlow priority (0..65535). */
  readonly value: number;
}

/** The priority `offset` steps above the base of `band`. */
export function priority(band: PriorityBand, offset = 0): Priority {
  if (!Object.hasOwn(PRIORITY_BANDS, band)) {
    throw new ControllerError('WEIR_PIPELINE_PRIORITY', `unknown priority band "${String(band)}"`, {
      subject: String(band),
      rule: 'priority',
    });
  }
  const max = band === 'miss' ? 0 : BAND_WIDTH - 1;
  if (!Number.isInteger(offset) || offset < 0 || offset > max) {
    throw new ControllerError(
      'WEIR_PIPELINE_PRIORITY',
      `priority offset ${offset} is outside band ${band} (0..${max})`,
      { subject: band, rule: 'priority' },
    );
  }
  return Object.freeze({ [brand]: true as const, band, offset, value: PRIORITY_BANDS[band] + offset });
}

/** Whether `p` is a priority made by `priority()` (and not, say, a number cast to the type). */
export function isPriority(p: unknown): p is Priority {
  return typeof p === 'object' && p !== null && (p as { [brand]?: unknown })[brand] === true;
}

/** The band and offset of an installed flow's priority, for dumps (`normal+24`). */
export function describePriority(value: number): string {
  if (value === 0) return 'miss';
  const bands = Object.entries(PRIORITY_BANDS) as [PriorityBand, number][];
  for (const [band, base] of bands) {
    if (band !== 'miss' && value >= base && value < base + BAND_WIDTH) {
      return value === base ? band : `${band}+${value - base}`;
    }
  }
  return String(value);
}
