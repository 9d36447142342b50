// RFC 7047 section 5.2 operations and section 5.1 conditions/mutations, in wire form.
import type { WireDatum, WireRow } from '../data/wire.js';

export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';
export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';

export type WireCondition = readonly [string, ConditionFunction, WireDatum];
/** monitor_cond also accepts the literal conditions `true` and `false`. */
export type WireMonitorCondition = WireCondition | boolean;
export type WireMutation = readonly [string, Mutator, WireDatum];

export interface InsertOperation {
  readonly op: 'insert';
  readonly table: string;
  readonly row: WireRow;
  readonly 'uuid-name'?: string;
  /** Choose the new row's UUID (OVSDB ≥ 2.13 extension). */
  readonly uuid?: string;
}
export interface SelectOperation {
  readonly op: 'select';
  readonly table: string;
  readonly where: readonly WireCondition[];
  readonly columns?: readonly string[];
}
export interface UpdateOperation {
  readonly op: 'update';
  readonly table: string;
  readonly where: readonly WireCondition[];
  readonly row: WireRow;
}
export interface MutateOperation {
  readonly op: 'mutate';
  readonly table: string;
  readonly where: readonly WireCondition[];
  readonly mutations: readonly WireMutation[];
}
export interface DeleteOperation {
  readonly op: 'delete';
  readonly table: string;
  readonly where: readonly WireCondition[];
}
export interface WaitOperation {
  readonly op: 'wait';
  readonly table: string;
  readonly where: readonly WireCondition[];
  readonly columns: readonly string[];
  readonly until: '==' | '!=';
  readonly rows: readonly WireRow[];
  /** Milliseconds; 0 (the usual choice) fails at once instead of blocking the database. */
  readonly timeout?: number;
}
export interface CommitOperation {
  readonly op: 'commit';
  readonly durable: boolean;
}
export interface AbortOperation {
  readonly op: 'abort';
}
export interface CommentOperation {
  readonly op: 'comment';
  readonly comment: string;
}
export interface AssertOperation {
  readonly op: 'assert';
  readonly lock: string;
}

export type WireOperation =
  | InsertOperation
  | SelectOperation
  | UpdateOperation
  | MutateOperation
  | DeleteOperation
  | WaitOperation
  | CommitOperation
  | AbortOperation
  | CommentOperation
  | AssertOperation;

/** A monitor request for one table (monitor_cond / monitor_cond_since). */
export interface WireMonitorRequest {
  readonly columns?: readonly string[];
  readonly where?: readonly WireMonitorCondition[];
  readonly select?: {
    readonly initial?: boolean;
    readonly insert?: boolean;
    readonly delete?: boolean;
    readonly modify?: boolean;
  };
}
export type WireMonitorRequests = Readonly<
  Record<string, WireMonitorRequest | readonly WireMonitorRequest[]>
>;
