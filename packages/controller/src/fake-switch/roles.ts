// Controller roles (OFPT_ROLE_REQUEST) as OVS arbitrates them: master and slave requests carry a
// generation id that must not go backwards (OFPRRFC_STALE, compared as a signed 64-bit
// difference); a new master demotes the old one to slave; equal and nochange leave the
// generation alone; the reply carries the current generation (UINT64_MAX before any). A slave
// may not change the switch (OFPBRC_IS_SECONDARY, checked by the session).
import type { Role } from '@weir/openflow';
import { Refusal } from './errors.js';

export interface RoleHolder {
  role: Role;
}

const UNDEFINED_GENERATION = 0xffffffffffffffffn;

export class RoleArbiter {
  private generationId: bigint | undefined;

  constructor(private readonly holders: () => Iterable<RoleHolder>) {}

  request(who: RoleHolder, role: Role, generationId: bigint): { role: Role; generationId: bigint } {
    if (role === 'master' || role === 'slave') {
      if (this.generationId !== undefined && BigInt.asIntN(64, generationId - this.generationId) < 0n)
        throw new Refusal('OFPRRFC_STALE', `generation ${generationId} is older than ${this.generationId}`);
      this.generationId = generationId;
    }
    if (role === 'master')
      for (const h of this.holders()) if (h !== who && h.role === 'master') h.role = 'slave';
    if (role !== 'nochange') who.role = role;
    return { role: who.role, generationId: this.generationId ?? UNDEFINED_GENERATION };
  }

  reset(): void {
    this.generationId = undefined;
  }
}
