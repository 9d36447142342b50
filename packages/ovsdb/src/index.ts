// @weir/ovsdb — an RFC 7047 (OVSDB) client for Node.js: JSON-RPC over unix/tcp, typed
// transactions, monitor_cond_since replicas with resync, reconnect, schema-driven types, and
// Open_vSwitch helpers. See README.md for the API and the data-model conventions.

// Errors
export { OvsdbError, OvsdbTransactionError, OVSDB_ERROR_CODES, isOvsdbError } from './errors.js';
export type { OvsdbErrorCode, OvsdbErrorOptions, TransactionFailure } from './errors.js';

// Client, connection, transport
export { OvsdbClient } from './client.js';
export type { OvsdbClientOptions } from './client.js';
export {
  OvsdbConnection,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './connection.js';
export type {
  ConnectionOptions,
  MonitorCondSinceResult,
  MonitorHandler,
  MonitorNotification,
  OpenOptions,
} from './connection.js';
export { Backoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { systemClock, sleep } from './clock.js';
export type { Clock, ClockTimer } from './clock.js';
export { TypedEmitter } from './events.js';
export type { EventMap, Listener } from './events.js';
export { JsonSplitter } from './protocol/json-splitter.js';
export type { JsonSplitterOptions } from './protocol/json-splitter.js';
export { JsonRpcPeer } from './protocol/jsonrpc.js';
export type { JsonRpcPeerOptions, RequestOptions } from './protocol/jsonrpc.js';
export { netTransport, parseTarget } from './protocol/transport.js';
export type { Target, Transport } from './protocol/transport.js';

// Data model
export {
  columnKind,
  defineSchema,
  findColumn,
  getColumn,
  getTable,
  isComposite,
  isMapValue,
  isSetValue,
} from './data/schema.js';
export { parseColumnType, parseSchema } from './data/schema-parser.js';
export type {
  Atom,
  AtomicType,
  BaseType,
  ColumnKind,
  ColumnSchema,
  ColumnType,
  DatabaseSchema,
  GenericRow,
  GenericTables,
  OvsdbValue,
  RowBase,
  TableMap,
  TableSchema,
} from './data/schema.js';
export { decodeAtom, decodeDatum, defaultValue, encodeAtom, encodeDatum } from './data/datum.js';
export type { WriteAtom, WriteValue } from './data/datum.js';
export { NamedUuid, namedUuid } from './data/named-uuid.js';
export { isUuid, UUID_PATTERN, ZERO_UUID } from './data/wire.js';
export type { WireAtom, WireDatum, WireMap, WireRow, WireSet } from './data/wire.js';
export { changedColumns, rowEquals, toPlain, valueEquals } from './data/values.js';
export { applyDatumDiff, computeDatumDiff } from './data/diff.js';
export { decodeRow, encodeCondition, encodeMutation, encodeRow } from './data/rows.js';
export type {
  ColumnName,
  Condition,
  MonitorCondition,
  Mutation,
  RowWrite,
  WritableColumn,
  WriteOf,
} from './data/row-types.js';

// Transactions
export { OvsdbDatabase } from './database.js';
export { Transaction, TransactionResult } from './transaction/transaction.js';
export type {
  InsertHandle,
  InsertOptions,
  OpHandle,
  TableName,
  TransactFn,
  WaitOptions,
} from './transaction/transaction.js';
export { checkTransactResult } from './transaction/results.js';
export type * from './transaction/operations.js';

// Replica
export { Replica } from './replica/replica.js';
export type { ChangeBatch, ChangeBatchOf, ReplicaEvents, ReplicaOptions } from './replica/replica.js';
export { ReplicaState, diffStates } from './replica/replica-state.js';
export type { StoredChange, StoredRow } from './replica/replica-state.js';
export { parseTableUpdates2 } from './replica/table-updates.js';
export type { RowUpdate2, TableUpdates2 } from './replica/table-updates.js';
export type { ReplicaRows, ReplicaSpec, RowChange, RowOfSpec, TableSpec } from './replica/spec.js';
export type { TableView } from './replica/table-view.js';

// Schema code generation and the generated Open_vSwitch schema
export { generateSchemaModule, pascalCase } from './codegen/schema-codegen.js';
export type { SchemaCodegenOptions } from './codegen/schema-codegen.js';
export * from './schemas/open-vswitch.js';

// Open_vSwitch helpers
export { ensureBridge } from './vswitch/ensure-bridge.js';
export type { BridgeSpec, ControllerSpec, EnsureResult, OpenFlowVersion } from './vswitch/ensure-bridge.js';
export { ensurePort, deletePort } from './vswitch/ensure-port.js';
export type { DeletePortSpec, InterfaceType, PortSpec } from './vswitch/ensure-port.js';
export {
  InterfaceWatcher,
  interfaceEventOf,
  interfaceStateOf,
  interfaceStatesEqual,
  WATCHED_INTERFACE_COLUMNS,
} from './vswitch/interface-watcher.js';
export type {
  InterfaceEvent,
  InterfaceState,
  InterfaceWatcherOptions,
  WatchedInterfaceRow,
} from './vswitch/interface-watcher.js';
export type { RetryOptions } from './vswitch/cas.js';
