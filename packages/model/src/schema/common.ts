// Building blocks every northbound object shares. One schema language (TypeBox, JSON Schema
// underneath) serves the model, the store's validation and, later, the HTTP API.
import Type from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
/** A project id (Keystone: 32 hex digits) or a shared topic such as "chassis". */
export const Topic = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });
export const Name = Type.String({ maxLength: 255 });
export const Description = Type.String({ maxLength: 255 });
/** IPv4 or IPv6 address in canonical text form. */
export const IpAddress = Type.String({ format: 'ip' });
export const Ipv4Address = Type.String({ format: 'ipv4' });
/** Network prefix, e.g. 10.0.0.0/24 or fd00::/64 (host bits must be zero). */
export const Cidr = Type.String({ format: 'cidr' });
/** An address or a prefix (allowed address pairs, remote prefixes). */
export const IpOrCidr = Type.String({ format: 'ip-or-cidr' });
/** Lower-case, colon-separated MAC address. */
export const MacAddress = Type.String({ format: 'mac' });
export const Timestamp = Type.String({ format: 'date-time' });
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 64 });
export const U16 = Type.Integer({ minimum: 0, maximum: 65535 });
export const U32 = Type.Integer({ minimum: 0, maximum: 0xffffffff });
export const Port = Type.Integer({ minimum: 1, maximum: 65535 });
export const AdminState = Type.Boolean();

/**
 * Fields every object carries. `version` is the store revision of the object's last write (it only
 * grows; compare-and-swap uses it); `uniqueKey` is a 32-bit number the store allocates per table,
 * for OpenFlow registers.
 */
export const BaseFields = {
  id: Uuid,
  topic: Topic,
  version: Type.Integer({ minimum: 0 }),
  uniqueKey: U32,
  name: Name,
  description: Description,
  tags: Tags,
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ProvisioningStatus = Type.Union([
  Type.Literal('ACTIVE'),
  Type.Literal('PENDING_CREATE'),
  Type.Literal('PENDING_UPDATE'),
  Type.Literal('PENDING_DELETE'),
  Type.Literal('DELETED'),
  Type.Literal('ERROR'),
]);

export const OperatingStatus = Type.Union([
  Type.Literal('ONLINE'),
  Type.Literal('OFFLINE'),
  Type.Literal('DEGRADED'),
  Type.Literal('ERROR'),
  Type.Literal('NO_MONITOR'),
  Type.Literal('DRAINING'),
]);
