// The shape of a table declaration and its contract, and how an ordered list of declarations
// becomes numbered tables. The list itself lives in tables.ts.
import { ControllerError } from '../errors.js';
import type { AppName } from './apps.js';
import type { Mark, PacketField, RegisterField } from './registers.js';

/** Where in a packet's walk the table sits (docs group tables by it). */
export type Stage = 'classification' | 'ingress' | 'routing' | 'forwarding' | 'egress' | 'output';

/**
 * What the table does with a packet no flow matches. Installed by the pipeline itself (app
 * `pipeline`, priority band `miss`), so an empty table — a future app's — is already well defined.
 */
export type MissAction =
  /** Drop: the table must vouch for every packet it passes (classifier, port security, outputs). */
  | { readonly kind: 'drop' }
  /** Continue with the next table in declaration order: an app that is absent changes nothing. */
  | { readonly kind: 'next' }
  /** Continue with a later table (e.g. not routed → L2 lookup, unknown unicast → flood). */
  | { readonly kind: 'goto'; readonly table: string }
  /** Send to the controller (packet-in, reason no_match). */
  | { readonly kind: 'controller' };

export type { PacketField } from './registers.js';

/** What a contract lists: a packet field by its OpenFlow name, or a named register field or mark. */
export type ContractField = PacketField | RegisterField | Mark;

export interface TableContract {
  /** Fields a flow of this table may match on. A listed register field includes all its marks. */
  readonly matches: readonly ContractField[];
  /** Fields a flow may write (set_field, load, move, push/pop_vlan → vlan_vid, dec_ttl → nw_ttl). */
  readonly sets: readonly ContractField[];
  /** Tables a flow may continue in (goto_table, resubmit, ct(table=…)); only later tables. */
  readonly next: readonly string[];
  /** output / output_reg / IN_PORT. */
  readonly output?: boolean;
  /** controller(…) or output:CONTROLLER — packet-in. */
  readonly controller?: boolean;
  /** group:N. */
  readonly group?: boolean;
  /** ct(…) and ct_clear. */
  readonly ct?: boolean;
  /** learn(…) — into a table of the same app. */
  readonly learn?: boolean;
}

export interface TableSpec {
  /** Display name: what dumps, golden tests, docs and errors show. */
  readonly name: string;
  readonly stage: Stage;
  /** The only app whose flows this table holds (besides the pipeline's miss flow). */
  readonly owner: AppName;
  /** `active`: an app of the current release fills it; `reserved`: declared for a future app, empty. */
  readonly state: 'active' | 'reserved';
  /** What the table decides, in a sentence or two a newcomer can follow a packet by. */
  readonly purpose: string;
  readonly miss: MissAction;
  readonly contract: TableContract;
}

/** A declared table with its OpenFlow number. Build flows with it; never with the number. */
export interface PipelineTable extends TableSpec {
  /** OpenFlow table number, from the declaration order. */
  readonly id: number;
}

export interface Pipeline {
  /** Tables in declaration order; `tables[i].id === i`. */
  readonly tables: readonly PipelineTable[];
  /** The table of that display name; throws WEIR_PIPELINE_UNKNOWN_TABLE. */
  table(name: string): PipelineTable;
}

function declarationError(message: string, table: string): ControllerError {
  return new ControllerError('WEIR_PIPELINE_DECLARATION', message, { table, rule: 'declaration' });
}

/** The table a miss action continues in, if any. */
export function missTarget(t: PipelineTable, tables: readonly PipelineTable[]): PipelineTable | undefined {
  if (t.miss.kind === 'next') return tables[t.id + 1];
  if (t.miss.kind === 'goto') {
    const name = t.miss.table;
    return tables.find((x) => x.name === name);
  }
  return undefined;
}

/**
 * Number the tables in order and check the declaration against itself: unique display names,
 * jumps only to declared, *later* tables (OpenFlow's goto_table may only go forward, and keeping
 * resubmit and ct(table=…) forward too makes the pipeline a DAG: no packet loops), a miss that
 * continues goes to a table its contract allows, and table 0 is where every packet enters.
 */
export function declarePipeline(specs: readonly TableSpec[]): Pipeline {
  if (specs.length > 254) throw declarationError(`${specs.length} tables: OpenFlow has 254`, '');
  const tables: PipelineTable[] = specs.map((s, id) => Object.freeze({ ...s, id }));
  const byName = new Map<string, PipelineTable>();
  for (const t of tables) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(t.name)) {
      throw declarationError(`table name "${t.name}" is not a PascalCase display name`, t.name);
    }
    if (byName.has(t.name)) throw declarationError(`table ${t.name} is declared twice`, t.name);
    byName.set(t.name, t);
  }
  for (const t of tables) {
    for (const n of t.contract.next) {
      const target = byName.get(n);
      if (target === undefined)
        throw declarationError(`${t.name} may jump to ${n}, which is not declared`, t.name);
      if (target.id <= t.id) {
        throw declarationError(
          `${t.name} may jump to ${n}, which is not after it (jumps go forward only)`,
          t.name,
        );
      }
    }
    if (t.miss.kind === 'next' || t.miss.kind === 'goto') {
      const target = missTarget(t, tables);
      if (target === undefined)
        throw declarationError(`${t.name}: its miss continues in no declared table`, t.name);
      if (!t.contract.next.includes(target.name)) {
        throw declarationError(
          `${t.name}: its miss continues in ${target.name}, which its contract does not allow`,
          t.name,
        );
      }
    }
    if (t.miss.kind === 'controller' && t.contract.controller !== true) {
      throw declarationError(
        `${t.name}: its miss sends to the controller, which its contract does not allow`,
        t.name,
      );
    }
  }
  return {
    tables,
    table(name: string): PipelineTable {
      const t = byName.get(name);
      if (t === undefined) {
        throw new ControllerError('WEIR_PIPELINE_UNKNOWN_TABLE', `no table is named ${name}`, {
          subject: name,
        });
      }
      return t;
    },
  };
}
