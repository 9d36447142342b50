// The flow builder: the one way apps make flows. Each app gets a builder bound to its own name
// and the controller's generation (a narrow capability, in the manner of grpc-js's load-balancer
// helpers), and every flow it builds is checked against its table's contract before it exists:
//   - the table is a declared one and the app owns it;
//   - the priority comes from a named band (not a number; `miss` is the pipeline's);
//   - there is a cookie owner (the object the flow exists for);
//   - every match, write, jump and action kind is in the contract (contract.ts).
// The result is a plain @weir/openflow FlowMod (or GroupMod): the installer encodes it, golden
// tests print it (text.ts).
import {
  applyActions,
  bucket,
  flowMod,
  type Action,
  type FlowMod,
  type GroupMod,
  type GroupType,
  type Instruction,
  type Match,
} from '@weir/openflow';
import { ControllerError } from '../errors.js';
import type { AppName } from '../pipeline/apps.js';
import { makeCookie, type CookieOwner } from '../pipeline/cookies.js';
import { isPriority, type Priority } from '../pipeline/priorities.js';
import type { PipelineTable } from '../pipeline/table.js';
import { PIPELINE } from '../pipeline/tables.js';
import { checkActions, checkJump, checkMatch } from './contract.js';

export interface FlowSpec {
  /** The table, by its declaration object (`L2LookupTable`), never by number. */
  readonly table: PipelineTable;
  readonly priority: Priority;
  /** The object this flow exists for; its key goes into the cookie. */
  readonly owner: CookieOwner;
  readonly match?: Match;
  /** Applied in order (apply-actions). Empty and no `goto`: the packet is dropped. */
  readonly actions?: readonly Action[];
  /** Continue in this later table after the actions (goto_table). */
  readonly goto?: PipelineTable;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
}

export interface GroupSpec {
  /** The table whose flows send to this group: the buckets are checked against its contract. */
  readonly table: PipelineTable;
  readonly owner: CookieOwner;
  readonly groupId: number;
  readonly groupType: GroupType;
  readonly buckets: readonly { readonly actions: readonly Action[]; readonly weight?: number }[];
}

/** A group-mod with the owner it exists for (groups carry no cookie; the installer keeps this). */
export interface OwnedGroup {
  readonly app: AppName;
  readonly owner: CookieOwner;
  readonly mod: GroupMod;
}

export interface FlowBuilderOptions {
  /** This controller run's generation (cookies.ts); 1..65535. */
  readonly generation: number;
  readonly app: AppName;
}

/** What an app receives to make flows: bound to its name and the current generation. */
export interface AppFlowBuilder {
  readonly app: AppName;
  readonly generation: number;
  flow(spec: FlowSpec): FlowMod;
  group(spec: GroupSpec): OwnedGroup;
}

function checkTable(table: unknown, app: AppName): PipelineTable {
  const t = table as PipelineTable | undefined;
  if (t === undefined || t === null || PIPELINE.tables[t.id] !== t) {
    throw new ControllerError(
      'WEIR_PIPELINE_UNKNOWN_TABLE',
      'a flow names a table that is not a declared table object (use the <Name>Table exports)',
      { subject: typeof t?.name === 'string' ? t.name : typeof t, rule: 'table' },
    );
  }
  if (t.owner !== app) {
    throw new ControllerError(
      'WEIR_PIPELINE_CONTRACT',
      `${t.name}: owned by ${t.owner}, not ${app} (rule: owner)`,
      { table: t.name, subject: app, rule: 'owner' },
    );
  }
  return t;
}

function checkPriority(table: PipelineTable, p: unknown): Priority {
  if (!isPriority(p)) {
    throw new ControllerError(
      'WEIR_PIPELINE_PRIORITY',
      `${table.name}: priority ${String(p)} is not from a named band (use priority('normal', offset))`,
      { table: table.name, subject: String(p), rule: 'priority' },
    );
  }
  if (p.band === 'miss') {
    throw new ControllerError(
      'WEIR_PIPELINE_PRIORITY',
      `${table.name}: band miss is reserved for the table's declared miss flow`,
      { table: table.name, subject: 'miss', rule: 'priority' },
    );
  }
  return p;
}

export function flowBuilder(options: FlowBuilderOptions): AppFlowBuilder {
  const { app, generation } = options;
  // Fails now (bad generation or app) rather than on the first flow.
  makeCookie({ generation, app, owner: { kind: 'table', key: 0 } });
  return {
    app,
    generation,
    flow(spec: FlowSpec): FlowMod {
      const table = checkTable(spec.table, app);
      const p = checkPriority(table, spec.priority);
      const cookie = makeCookie({ generation, app, owner: spec.owner });
      const match = spec.match ?? [];
      const actions = spec.actions ?? [];
      checkMatch(table, match);
      checkActions(table, actions);
      if (spec.goto !== undefined) checkJump(table, spec.goto, 'goto_table');
      const instructions: Instruction[] = applyActions(actions, spec.goto?.id);
      return flowMod({
        tableId: table.id,
        priority: p.value,
        cookie,
        match,
        instructions,
        idleTimeout: spec.idleTimeout ?? 0,
        hardTimeout: spec.hardTimeout ?? 0,
      });
    },
    group(spec: GroupSpec): OwnedGroup {
      const table = checkTable(spec.table, app);
      makeCookie({ generation, app, owner: spec.owner });
      if (table.contract.group !== true) {
        throw new ControllerError(
          'WEIR_PIPELINE_CONTRACT',
          `${table.name}: group is not allowed here (rule: group)`,
          {
            table: table.name,
            subject: 'group',
            rule: 'group',
          },
        );
      }
      for (const b of spec.buckets) checkActions(table, b.actions);
      const mod: GroupMod = {
        type: 'group_mod',
        command: 'add',
        groupType: spec.groupType,
        groupId: spec.groupId,
        buckets: spec.buckets.map((b) =>
          bucket(b.actions, { weight: b.weight ?? (spec.groupType === 'select' ? 1 : 0) }),
        ),
      };
      return { app, owner: spec.owner, mod };
    },
  };
}
