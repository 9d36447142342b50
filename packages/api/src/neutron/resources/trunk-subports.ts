// Trunk subport lists as Neutron checks them: first the request's shape (neutron-lib
// validate_subports, whose reason the API layer reports), then the trunk plugin's own reading of
// each subport (SubPortsValidator: both segmentation details present, the id an integer). Core
// then checks the meaning (type, range, ports free, ids unique on the trunk).
import type { SubportInput } from '@weir/core';
import { HttpError } from '../../http/http-error.js';
import { Invalid, py, uuid, type Check } from '../validators.js';

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** neutron-lib validate_subports: a list of dicts with unique port ids and segmentations. */
export const subportList: Check = (v) => {
  if (!Array.isArray(v)) throw new Invalid(`Invalid data format for subports: '${py(v)}' is not a list`);
  const ports = new Set<string>();
  const segmentations = new Map<unknown, Set<unknown>>();
  for (const s of v) {
    if (!isDict(s)) throw new Invalid(`Invalid data format for subport: '${py(s)}' is not a dict`);
    if (!('port_id' in s)) throw new Invalid('A valid port UUID must be specified');
    try {
      uuid(s.port_id);
    } catch {
      throw new Invalid(`Invalid UUID for subport: '${py(s.port_id)}'`);
    }
    const portId = String(s.port_id);
    if (ports.has(portId)) throw new Invalid(`Non unique UUID for subport: '${portId}'`);
    ports.add(portId);
    const type = s.segmentation_type;
    // Neutron stops checking at an "inherit" subport; core refuses that type later anyway.
    if (type === 'inherit') break;
    const id = s.segmentation_id;
    if ((!type || id === undefined || id === null) && Object.keys(s).length > 1) {
      throw new Invalid(
        `Invalid subport details '${py(s)}': missing segmentation information. Must specify both segmentation_id and segmentation_type`,
      );
    }
    const used = segmentations.get(type) ?? new Set<unknown>();
    if (id !== undefined && used.has(id)) {
      throw new Invalid(`Segmentation ID '${py(id)}' for '${portId}' is not unique`);
    }
    if (id !== undefined && id !== null) used.add(id);
    segmentations.set(type, used);
  }
  return v as Record<string, unknown>[];
};

function invalidInput(reason: string): HttpError {
  return new HttpError(400, 'InvalidInput', `Invalid input for operation: ${reason}.`);
}

/** The trunk plugin's reading of subports to add: both segmentation details, the id an integer. */
export function subportsToAdd(items: readonly Record<string, unknown>[]): SubportInput[] {
  return items.map((s) => {
    if (!('segmentation_type' in s) || !('segmentation_id' in s)) {
      throw invalidInput(
        `Invalid subport details '${py(s)}': missing segmentation information. Must specify both segmentation_id and segmentation_type`,
      );
    }
    const raw = s.segmentation_id;
    const id =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw)
          ? Number(raw)
          : NaN;
    if (!Number.isSafeInteger(id)) {
      throw invalidInput(`Invalid subport details: segmentation_id '${py(raw)}' is not an integer`);
    }
    return {
      portId: uuid(s.port_id) as string,
      segmentationType: String(s.segmentation_type),
      segmentationId: id,
    };
  });
}

/**
 * The `sub_ports` of an add_subports / remove_subports body, shape-checked. These member actions
 * report a bad shape as Neutron's plugin does: InvalidInput, "Invalid input for operation: …".
 */
export function subportsOfBody(body: unknown): Record<string, unknown>[] {
  if (!isDict(body) || !('sub_ports' in body)) {
    throw new HttpError(400, 'HTTPBadRequest', "Unable to find 'sub_ports' in request body");
  }
  try {
    return subportList(body.sub_ports) as Record<string, unknown>[];
  } catch (error) {
    if (error instanceof Invalid) throw invalidInput(error.message);
    throw error;
  }
}
