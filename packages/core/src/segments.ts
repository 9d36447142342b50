// Segmentation ids (VNI for geneve/vxlan, VLAN id per physical network), unique through claims in
// "seg:<type>" / "seg:vlan:<physnet>", taken in the network's own commit (random pick, retry on
// a lost race).
import type { NetworkTypeT } from '@weir/model';
import type { CoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';

export function segmentNamespace(type: NetworkTypeT, physicalNetwork?: string): string | undefined {
  if (type === 'geneve' || type === 'vxlan') return `seg:${type}`;
  if (type === 'vlan') return `seg:vlan:${physicalNetwork ?? ''}`;
  if (type === 'flat') return `seg:flat:${physicalNetwork ?? ''}`;
  return undefined;
}

export interface SegmentChoice {
  readonly segmentationId: number | undefined;
  readonly namespace: string | undefined;
  readonly key: string | undefined;
}

/** Chooses (or validates) a segment for a new network. A flat network claims its physnet whole. */
export function chooseSegment(
  ctx: CoreContext,
  type: NetworkTypeT,
  physicalNetwork: string | undefined,
  requested: number | undefined,
): SegmentChoice {
  const namespace = segmentNamespace(type, physicalNetwork);
  if (type === 'local') return { segmentationId: undefined, namespace: undefined, key: undefined };
  if (type === 'flat') {
    if (requested !== undefined)
      throw badRequest(
        'InvalidInput',
        'Invalid input for operation: segmentation_id requires VLAN network type.',
      );
    if (!physicalNetwork)
      throw badRequest(
        'InvalidInput',
        'Invalid input for operation: physical_network required for flat provider network.',
      );
    return { segmentationId: undefined, namespace, key: 'flat' };
  }
  let range: readonly [number, number];
  if (type === 'vlan') {
    if (!physicalNetwork)
      throw badRequest(
        'InvalidInput',
        'Invalid input for operation: physical_network required for VLAN provider network.',
      );
    range = ctx.config.vlanRanges[physicalNetwork] ?? [1, 4094];
    if (requested !== undefined && (requested < 1 || requested > 4094)) {
      throw badRequest(
        'InvalidInput',
        `Invalid input for operation: segmentation_id out of range (1 through 4094).`,
      );
    }
  } else {
    if (physicalNetwork)
      throw badRequest(
        'InvalidInput',
        `Invalid input for operation: provider:physical_network specified for ${type} network.`,
      );
    range = ctx.config.vniRange;
    if (requested !== undefined && (requested < 1 || requested > 16777215)) {
      throw badRequest(
        'InvalidInput',
        `Invalid input for operation: segmentation_id out of range (1 through 16777215).`,
      );
    }
  }
  const id = requested ?? range[0] + ctx.random(range[1] - range[0] + 1);
  return { segmentationId: id, namespace, key: String(id) };
}

export function segmentInUse(type: NetworkTypeT, id: number | undefined, physnet?: string): Error {
  return conflict(
    type === 'flat' ? 'FlatNetworkInUse' : type === 'vlan' ? 'VlanIdInUse' : 'TunnelIdInUse',
    type === 'flat'
      ? `Unable to create the flat network. Physical network ${physnet ?? ''} is in use.`
      : type === 'vlan'
        ? `Unable to create the network. The VLAN ${id ?? ''} on physical network ${physnet ?? ''} is in use.`
        : `Unable to create the network. The tunnel ID ${id ?? ''} is in use.`,
  );
}
