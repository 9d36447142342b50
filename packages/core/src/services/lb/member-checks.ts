// The checks a member's fields pass before any read, shared by the single create and the batch
// update (members.ts, member-batch.ts): canonical addresses, port and weight ranges, and the
// subnet rule (one the caller sees, holding the member's address).
import type { Member } from '@weir/model';
import { canonicalIp, parseIp, parsePrefix, prefixContains } from '../../addr.js';
import type { Actor, CoreContext } from '../../context.js';
import type { baseFields, BaseInput } from '../../objects.js';
import {
  checkInteger,
  invalidField,
  lbNotFound,
  memberStatus,
  subnetSeenBy,
  validationFailure,
} from './common.js';

export interface MemberInput extends BaseInput {
  readonly address: string;
  readonly protocolPort: number;
  readonly weight?: number;
  readonly subnetId?: string;
  readonly backup?: boolean;
  readonly monitorAddress?: string;
  readonly monitorPort?: number;
  readonly adminStateUp?: boolean;
}

export function ipField(field: string, value: string): string {
  const ip = canonicalIp(value);
  if (ip === undefined) throw invalidField(field, value, 'Value should be IPv4 or IPv6 format');
  return ip;
}

/** The input with its addresses canonical, or InvalidInput. */
export function checkMemberInput(input: MemberInput): MemberInput {
  const address = ipField('address', input.address);
  checkInteger('protocol_port', input.protocolPort, 1, 65535);
  if (input.weight !== undefined) checkInteger('weight', input.weight, 0, 256);
  if (input.monitorPort !== undefined) checkInteger('monitor_port', input.monitorPort, 1, 65535);
  return {
    ...input,
    address,
    ...(input.monitorAddress === undefined
      ? {}
      : { monitorAddress: ipField('monitor_address', input.monitorAddress) }),
  };
}

/** The member's subnet must be one the caller sees, and hold the member's address. */
export async function checkSubnet(
  ctx: CoreContext,
  actor: Actor,
  subnetId: string,
  address: string,
): Promise<void> {
  const subnet = await subnetSeenBy(ctx, actor, subnetId);
  if (!subnet) throw lbNotFound('Subnet', subnetId);
  const prefix = parsePrefix(subnet.cidr);
  const ip = parseIp(address);
  if (!prefix || !ip || !prefixContains(prefix, ip))
    throw validationFailure(`Member address ${address} is not in subnet ${subnetId} (${subnet.cidr}).`);
}

/** A new member from checked input, with Octavia's defaults. */
export function memberObject(
  base: Awaited<ReturnType<typeof baseFields>>,
  poolId: string,
  input: MemberInput,
  monitored: boolean,
): Member {
  const adminStateUp = input.adminStateUp ?? true;
  return {
    ...base,
    poolId,
    address: input.address,
    protocolPort: input.protocolPort,
    weight: input.weight ?? 1,
    backup: input.backup ?? false,
    adminStateUp,
    provisioningStatus: 'ACTIVE',
    operatingStatus: memberStatus(adminStateUp, monitored),
    ...(input.subnetId === undefined ? {} : { subnetId: input.subnetId }),
    ...(input.monitorAddress === undefined ? {} : { monitorAddress: input.monitorAddress }),
    ...(input.monitorPort === undefined ? {} : { monitorPort: input.monitorPort }),
  };
}
