// Floating IPs pointing at a port that goes away are disassociated (Neutron does the same), in
// the commit that removes the port. Shared by port deletes and load-balancer cascades.
import type { WriteOp } from '@weir/nbdb';
import type { CoreContext } from '../context.js';
import { touch } from '../objects.js';

export async function disassociateFloatingIpOps(ctx: CoreContext, portId: string): Promise<WriteOp[]> {
  const fips = await ctx.store.list('floating_ip', { index: { name: 'port', value: portId } });
  return fips.items.map((fip): WriteOp => {
    const { portId: _p, fixedIpAddress: _f, routerId: _r, ...rest } = fip;
    return { kind: 'update', table: 'floating_ip', object: touch(ctx, { ...rest, status: 'DOWN' }) };
  });
}
