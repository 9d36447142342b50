import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NODES, UnderlayAddressPlan } from '../src/address-plan.js';

describe('UnderlayAddressPlan', () => {
  it('puts node i at .(10+i) of TEST-NET-2 by default, with a MAC that spells the IP', () => {
    const plan = UnderlayAddressPlan.of();
    assert.equal(plan.subnet, '198.51.100.0/24');
    assert.equal(plan.tunnelIp(1), '198.51.100.11');
    assert.equal(plan.tunnelCidr(3), '198.51.100.13/24');
    assert.equal(plan.tunnelMac(1), '02:00:c6:33:64:0b');
    assert.equal(plan.tunnelIp(MAX_NODES), '198.51.100.254');
    assert.equal(plan.mtu, 1500);
    assert.equal(plan.overlayMtu, 1450);
  });

  it('takes another /24 and MTU', () => {
    const plan = UnderlayAddressPlan.of('10.99.7.0/24', 9000);
    assert.equal(plan.tunnelIp(2), '10.99.7.12');
    assert.equal(plan.tunnelMac(2), '02:00:0a:63:07:0c');
    assert.equal(plan.overlayMtu, 8950);
    assert.deepEqual(plan.toJSON(), { subnet: '10.99.7.0/24', mtu: 9000 });
  });

  it('refuses what the plan cannot address', () => {
    for (const subnet of ['198.51.100.0/23', '198.51.100.1/24', '300.1.1.0/24', 'x']) {
      assert.throws(() => UnderlayAddressPlan.of(subnet), /a\.b\.c\.0\/24/, subnet);
    }
    for (const mtu of [100, 1500.5, 70_000])
      assert.throws(() => UnderlayAddressPlan.of(undefined, mtu), /MTU/);
    const plan = UnderlayAddressPlan.of();
    for (const index of [0, -1, 1.5, MAX_NODES + 1]) assert.throws(() => plan.tunnelIp(index), /node index/);
  });
});
