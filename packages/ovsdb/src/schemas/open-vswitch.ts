// Generated from the OVSDB schema Open_vSwitch 8.3.1 (cksum 3012963480 26720)
// read from /usr/share/openvswitch/vswitch.ovsschema.
// Do not edit by hand; regenerate with: npx tsx packages/ovsdb/scripts/gen-schema-types.ts.
//
// Column values: scalar → the atom; optional (min 0, max 1) → atom | undefined;
// set → ReadonlySet; map → ReadonlyMap. uuid atoms are strings.
import { defineSchema, type DatabaseSchema } from '../data/schema.js';

/** A row of table AutoAttach. */
export interface AutoAttachRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map integer [0..16777215] → integer [0..4095] */
  readonly mappings: ReadonlyMap<number, number>;
  /** string */
  readonly system_description: string;
  /** string */
  readonly system_name: string;
}

/** A row of table Bridge. */
export interface BridgeRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional uuid → AutoAttach */
  readonly auto_attach: string | undefined;
  /** set of 0..unlimited uuid → Controller */
  readonly controller: ReadonlySet<string>;
  /** optional string; ephemeral */
  readonly datapath_id: string | undefined;
  /** string */
  readonly datapath_type: string;
  /** string */
  readonly datapath_version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional string */
  readonly fail_mode: 'standalone' | 'secure' | undefined;
  /** set of 0..4096 integer [0..4095] */
  readonly flood_vlans: ReadonlySet<number>;
  /** map integer [0..254] → uuid → Flow_Table */
  readonly flow_tables: ReadonlyMap<number, string>;
  /** optional uuid → IPFIX */
  readonly ipfix: string | undefined;
  /** boolean */
  readonly mcast_snooping_enable: boolean;
  /** set of 0..unlimited uuid → Mirror */
  readonly mirrors: ReadonlySet<string>;
  /** string; immutable */
  readonly name: string;
  /** optional uuid → NetFlow */
  readonly netflow: string | undefined;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** set of 0..unlimited uuid → Port */
  readonly ports: ReadonlySet<string>;
  /** set of 0..unlimited string */
  readonly protocols: ReadonlySet<
    'OpenFlow10' | 'OpenFlow11' | 'OpenFlow12' | 'OpenFlow13' | 'OpenFlow14' | 'OpenFlow15'
  >;
  /** boolean */
  readonly rstp_enable: boolean;
  /** map string → string; ephemeral */
  readonly rstp_status: ReadonlyMap<string, string>;
  /** optional uuid → sFlow */
  readonly sflow: string | undefined;
  /** map string → string; ephemeral */
  readonly status: ReadonlyMap<string, string>;
  /** boolean */
  readonly stp_enable: boolean;
}

/** A row of table CT_Timeout_Policy. */
export interface CTTimeoutPolicyRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** map string → integer [0..4294967295] */
  readonly timeouts: ReadonlyMap<
    | 'tcp_syn_sent'
    | 'tcp_syn_recv'
    | 'tcp_established'
    | 'tcp_fin_wait'
    | 'tcp_close_wait'
    | 'tcp_last_ack'
    | 'tcp_time_wait'
    | 'tcp_close'
    | 'tcp_syn_sent2'
    | 'tcp_retransmit'
    | 'tcp_unack'
    | 'udp_first'
    | 'udp_single'
    | 'udp_multiple'
    | 'icmp_first'
    | 'icmp_reply',
    number
  >;
}

/** A row of table CT_Zone. */
export interface CTZoneRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional uuid → CT_Timeout_Policy */
  readonly timeout_policy: string | undefined;
}

/** A row of table Controller. */
export interface ControllerRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional string */
  readonly connection_mode: 'in-band' | 'out-of-band' | undefined;
  /** optional integer [25..] */
  readonly controller_burst_limit: number | undefined;
  /** optional integer [1..512] */
  readonly controller_queue_size: number | undefined;
  /** optional integer [100..] */
  readonly controller_rate_limit: number | undefined;
  /** optional boolean */
  readonly enable_async_messages: boolean | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer */
  readonly inactivity_probe: number | undefined;
  /** boolean; ephemeral */
  readonly is_connected: boolean;
  /** optional string */
  readonly local_gateway: string | undefined;
  /** optional string */
  readonly local_ip: string | undefined;
  /** optional string */
  readonly local_netmask: string | undefined;
  /** optional integer [1000..] */
  readonly max_backoff: number | undefined;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** optional string; ephemeral */
  readonly role: 'other' | 'master' | 'slave' | undefined;
  /** map string → string; ephemeral */
  readonly status: ReadonlyMap<string, string>;
  /** string */
  readonly target: string;
  /** optional string */
  readonly type: 'primary' | 'service' | undefined;
}

/** A row of table Datapath. */
export interface DatapathRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly capabilities: ReadonlyMap<string, string>;
  /** map integer [0..65535] → uuid → CT_Zone */
  readonly ct_zones: ReadonlyMap<number, string>;
  /** string */
  readonly datapath_version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
}

/** A row of table Flow_Sample_Collector_Set. */
export interface FlowSampleCollectorSetRow {
  readonly _uuid: string;
  readonly _version: string;
  /** uuid → Bridge */
  readonly bridge: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** integer [0..4294967295] */
  readonly id: number;
  /** optional uuid → IPFIX */
  readonly ipfix: string | undefined;
}

/** A row of table Flow_Table. */
export interface FlowTableRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer [0..] */
  readonly flow_limit: number | undefined;
  /** set of 0..unlimited string */
  readonly groups: ReadonlySet<string>;
  /** optional string */
  readonly name: string | undefined;
  /** optional string */
  readonly overflow_policy: 'refuse' | 'evict' | undefined;
  /** set of 0..3 string */
  readonly prefixes: ReadonlySet<string>;
}

/** A row of table IPFIX. */
export interface IPFIXRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional integer [0..4200] */
  readonly cache_active_timeout: number | undefined;
  /** optional integer [0..4294967295] */
  readonly cache_max_flows: number | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer [0..4294967295] */
  readonly obs_domain_id: number | undefined;
  /** optional integer [0..4294967295] */
  readonly obs_point_id: number | undefined;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** optional integer [1..4294967295] */
  readonly sampling: number | undefined;
  /** set of 0..unlimited string */
  readonly targets: ReadonlySet<string>;
}

/** A row of table Interface. */
export interface InterfaceRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional string; ephemeral */
  readonly admin_state: 'up' | 'down' | undefined;
  /** map string → string */
  readonly bfd: ReadonlyMap<string, string>;
  /** map string → string; ephemeral */
  readonly bfd_status: ReadonlyMap<string, string>;
  /** optional boolean; ephemeral */
  readonly cfm_fault: boolean | undefined;
  /** set of 0..unlimited string; ephemeral */
  readonly cfm_fault_status: ReadonlySet<string>;
  /** optional integer */
  readonly cfm_flap_count: number | undefined;
  /** optional integer [0..100]; ephemeral */
  readonly cfm_health: number | undefined;
  /** optional integer */
  readonly cfm_mpid: number | undefined;
  /** set of 0..unlimited integer; ephemeral */
  readonly cfm_remote_mpids: ReadonlySet<number>;
  /** optional string; ephemeral */
  readonly cfm_remote_opstate: 'up' | 'down' | undefined;
  /** optional string; ephemeral */
  readonly duplex: 'half' | 'full' | undefined;
  /** optional string */
  readonly error: string | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer [0..4294967295]; ephemeral */
  readonly ifindex: number | undefined;
  /** integer [0..] */
  readonly ingress_policing_burst: number;
  /** integer [0..] */
  readonly ingress_policing_kpkts_burst: number;
  /** integer [0..] */
  readonly ingress_policing_kpkts_rate: number;
  /** integer [0..] */
  readonly ingress_policing_rate: number;
  /** optional boolean; ephemeral */
  readonly lacp_current: boolean | undefined;
  /** optional integer; ephemeral */
  readonly link_resets: number | undefined;
  /** optional integer; ephemeral */
  readonly link_speed: number | undefined;
  /** optional string; ephemeral */
  readonly link_state: 'up' | 'down' | undefined;
  /** map string → string */
  readonly lldp: ReadonlyMap<string, string>;
  /** optional string */
  readonly mac: string | undefined;
  /** optional string; ephemeral */
  readonly mac_in_use: string | undefined;
  /** optional integer; ephemeral */
  readonly mtu: number | undefined;
  /** optional integer [1..] */
  readonly mtu_request: number | undefined;
  /** string; immutable */
  readonly name: string;
  /** optional integer */
  readonly ofport: number | undefined;
  /** optional integer [1..65279] */
  readonly ofport_request: number | undefined;
  /** map string → string */
  readonly options: ReadonlyMap<string, string>;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** map string → integer; ephemeral */
  readonly statistics: ReadonlyMap<string, number>;
  /** map string → string; ephemeral */
  readonly status: ReadonlyMap<string, string>;
  /** string */
  readonly type: string;
}

/** A row of table Manager. */
export interface ManagerRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional string */
  readonly connection_mode: 'in-band' | 'out-of-band' | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer */
  readonly inactivity_probe: number | undefined;
  /** boolean; ephemeral */
  readonly is_connected: boolean;
  /** optional integer [1000..] */
  readonly max_backoff: number | undefined;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** map string → string; ephemeral */
  readonly status: ReadonlyMap<string, string>;
  /** string */
  readonly target: string;
}

/** A row of table Mirror. */
export interface MirrorRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** string */
  readonly name: string;
  /** optional uuid → Port (weak) */
  readonly output_port: string | undefined;
  /** optional integer [1..4095] */
  readonly output_vlan: number | undefined;
  /** boolean */
  readonly select_all: boolean;
  /** set of 0..unlimited uuid → Port (weak) */
  readonly select_dst_port: ReadonlySet<string>;
  /** set of 0..unlimited uuid → Port (weak) */
  readonly select_src_port: ReadonlySet<string>;
  /** set of 0..4096 integer [0..4095] */
  readonly select_vlan: ReadonlySet<number>;
  /** optional integer [14..65535] */
  readonly snaplen: number | undefined;
  /** map string → integer; ephemeral */
  readonly statistics: ReadonlyMap<string, number>;
}

/** A row of table NetFlow. */
export interface NetFlowRow {
  readonly _uuid: string;
  readonly _version: string;
  /** integer [-1..] */
  readonly active_timeout: number;
  /** boolean */
  readonly add_id_to_interface: boolean;
  /** optional integer [0..255] */
  readonly engine_id: number | undefined;
  /** optional integer [0..255] */
  readonly engine_type: number | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** set of 1..unlimited string */
  readonly targets: ReadonlySet<string>;
}

/** A row of table Open_vSwitch. */
export interface OpenVSwitchRow {
  readonly _uuid: string;
  readonly _version: string;
  /** set of 0..unlimited uuid → Bridge */
  readonly bridges: ReadonlySet<string>;
  /** integer */
  readonly cur_cfg: number;
  /** set of 0..unlimited string */
  readonly datapath_types: ReadonlySet<string>;
  /** map string → uuid → Datapath */
  readonly datapaths: ReadonlyMap<string, string>;
  /** optional string */
  readonly db_version: string | undefined;
  /** boolean */
  readonly dpdk_initialized: boolean;
  /** optional string */
  readonly dpdk_version: string | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** set of 0..unlimited string */
  readonly iface_types: ReadonlySet<string>;
  /** set of 0..unlimited uuid → Manager */
  readonly manager_options: ReadonlySet<string>;
  /** integer */
  readonly next_cfg: number;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** optional string */
  readonly ovs_version: string | undefined;
  /** optional uuid → SSL */
  readonly ssl: string | undefined;
  /** map string → string; ephemeral */
  readonly statistics: ReadonlyMap<string, string>;
  /** optional string */
  readonly system_type: string | undefined;
  /** optional string */
  readonly system_version: string | undefined;
}

/** A row of table Port. */
export interface PortRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional string */
  readonly bond_active_slave: string | undefined;
  /** integer */
  readonly bond_downdelay: number;
  /** boolean */
  readonly bond_fake_iface: boolean;
  /** optional string */
  readonly bond_mode: 'balance-tcp' | 'balance-slb' | 'active-backup' | undefined;
  /** integer */
  readonly bond_updelay: number;
  /** set of 0..4096 integer [0..4095] */
  readonly cvlans: ReadonlySet<number>;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** boolean */
  readonly fake_bridge: boolean;
  /** set of 1..unlimited uuid → Interface */
  readonly interfaces: ReadonlySet<string>;
  /** optional string */
  readonly lacp: 'active' | 'passive' | 'off' | undefined;
  /** optional string */
  readonly mac: string | undefined;
  /** string; immutable */
  readonly name: string;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** boolean */
  readonly protected: boolean;
  /** optional uuid → QoS */
  readonly qos: string | undefined;
  /** map string → integer; ephemeral */
  readonly rstp_statistics: ReadonlyMap<string, number>;
  /** map string → string; ephemeral */
  readonly rstp_status: ReadonlyMap<string, string>;
  /** map string → integer; ephemeral */
  readonly statistics: ReadonlyMap<string, number>;
  /** map string → string; ephemeral */
  readonly status: ReadonlyMap<string, string>;
  /** optional integer [0..4095] */
  readonly tag: number | undefined;
  /** set of 0..4096 integer [0..4095] */
  readonly trunks: ReadonlySet<number>;
  /** optional string */
  readonly vlan_mode: 'trunk' | 'access' | 'native-tagged' | 'native-untagged' | 'dot1q-tunnel' | undefined;
}

/** A row of table QoS. */
export interface QoSRow {
  readonly _uuid: string;
  readonly _version: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
  /** map integer [0..4294967295] → uuid → Queue */
  readonly queues: ReadonlyMap<number, string>;
  /** string */
  readonly type: string;
}

/** A row of table Queue. */
export interface QueueRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional integer [0..63] */
  readonly dscp: number | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** map string → string */
  readonly other_config: ReadonlyMap<string, string>;
}

/** A row of table SSL. */
export interface SSLRow {
  readonly _uuid: string;
  readonly _version: string;
  /** boolean */
  readonly bootstrap_ca_cert: boolean;
  /** string */
  readonly ca_cert: string;
  /** string */
  readonly certificate: string;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** string */
  readonly private_key: string;
}

/** A row of table sFlow. */
export interface SFlowRow {
  readonly _uuid: string;
  readonly _version: string;
  /** optional string */
  readonly agent: string | undefined;
  /** map string → string */
  readonly external_ids: ReadonlyMap<string, string>;
  /** optional integer */
  readonly header: number | undefined;
  /** optional integer */
  readonly polling: number | undefined;
  /** optional integer */
  readonly sampling: number | undefined;
  /** set of 1..unlimited string */
  readonly targets: ReadonlySet<string>;
}

/** Table name → row type of the Open_vSwitch database. */
export interface OpenVswitchTables {
  readonly AutoAttach: AutoAttachRow;
  readonly Bridge: BridgeRow;
  readonly CT_Timeout_Policy: CTTimeoutPolicyRow;
  readonly CT_Zone: CTZoneRow;
  readonly Controller: ControllerRow;
  readonly Datapath: DatapathRow;
  readonly Flow_Sample_Collector_Set: FlowSampleCollectorSetRow;
  readonly Flow_Table: FlowTableRow;
  readonly IPFIX: IPFIXRow;
  readonly Interface: InterfaceRow;
  readonly Manager: ManagerRow;
  readonly Mirror: MirrorRow;
  readonly NetFlow: NetFlowRow;
  readonly Open_vSwitch: OpenVSwitchRow;
  readonly Port: PortRow;
  readonly QoS: QoSRow;
  readonly Queue: QueueRow;
  readonly SSL: SSLRow;
  readonly sFlow: SFlowRow;
}

/** Normalised schema of Open_vSwitch 8.3.1, typed with OpenVswitchTables. */
export const openVswitchSchema: DatabaseSchema<OpenVswitchTables> = defineSchema<OpenVswitchTables>({
  name: 'Open_vSwitch',
  version: '8.3.1',
  cksum: '3012963480 26720',
  tables: {
    AutoAttach: {
      columns: {
        mappings: {
          type: {
            key: { type: 'integer', minInteger: 0, maxInteger: 16777215 },
            value: { type: 'integer', minInteger: 0, maxInteger: 4095 },
            min: 0,
            max: 'unlimited',
          },
        },
        system_description: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        system_name: { type: { key: { type: 'string' }, min: 1, max: 1 } },
      },
    },
    Bridge: {
      columns: {
        auto_attach: {
          type: { key: { type: 'uuid', refTable: 'AutoAttach', refType: 'strong' }, min: 0, max: 1 },
        },
        controller: {
          type: {
            key: { type: 'uuid', refTable: 'Controller', refType: 'strong' },
            min: 0,
            max: 'unlimited',
          },
        },
        datapath_id: { type: { key: { type: 'string' }, min: 0, max: 1 }, ephemeral: true },
        datapath_type: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        datapath_version: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        fail_mode: { type: { key: { type: 'string', enum: ['standalone', 'secure'] }, min: 0, max: 1 } },
        flood_vlans: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 },
        },
        flow_tables: {
          type: {
            key: { type: 'integer', minInteger: 0, maxInteger: 254 },
            value: { type: 'uuid', refTable: 'Flow_Table', refType: 'strong' },
            min: 0,
            max: 'unlimited',
          },
        },
        ipfix: { type: { key: { type: 'uuid', refTable: 'IPFIX', refType: 'strong' }, min: 0, max: 1 } },
        mcast_snooping_enable: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        mirrors: {
          type: { key: { type: 'uuid', refTable: 'Mirror', refType: 'strong' }, min: 0, max: 'unlimited' },
        },
        name: { type: { key: { type: 'string' }, min: 1, max: 1 }, mutable: false },
        netflow: { type: { key: { type: 'uuid', refTable: 'NetFlow', refType: 'strong' }, min: 0, max: 1 } },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        ports: {
          type: { key: { type: 'uuid', refTable: 'Port', refType: 'strong' }, min: 0, max: 'unlimited' },
        },
        protocols: {
          type: {
            key: {
              type: 'string',
              enum: ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'],
            },
            min: 0,
            max: 'unlimited',
          },
        },
        rstp_enable: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        rstp_status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        sflow: { type: { key: { type: 'uuid', refTable: 'sFlow', refType: 'strong' }, min: 0, max: 1 } },
        status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        stp_enable: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
      },
      indexes: [['name']],
    },
    CT_Timeout_Policy: {
      columns: {
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        timeouts: {
          type: {
            key: {
              type: 'string',
              enum: [
                'tcp_syn_sent',
                'tcp_syn_recv',
                'tcp_established',
                'tcp_fin_wait',
                'tcp_close_wait',
                'tcp_last_ack',
                'tcp_time_wait',
                'tcp_close',
                'tcp_syn_sent2',
                'tcp_retransmit',
                'tcp_unack',
                'udp_first',
                'udp_single',
                'udp_multiple',
                'icmp_first',
                'icmp_reply',
              ],
            },
            value: { type: 'integer', minInteger: 0, maxInteger: 4294967295 },
            min: 0,
            max: 'unlimited',
          },
        },
      },
    },
    CT_Zone: {
      columns: {
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        timeout_policy: {
          type: { key: { type: 'uuid', refTable: 'CT_Timeout_Policy', refType: 'strong' }, min: 0, max: 1 },
        },
      },
    },
    Controller: {
      columns: {
        connection_mode: {
          type: { key: { type: 'string', enum: ['in-band', 'out-of-band'] }, min: 0, max: 1 },
        },
        controller_burst_limit: { type: { key: { type: 'integer', minInteger: 25 }, min: 0, max: 1 } },
        controller_queue_size: {
          type: { key: { type: 'integer', minInteger: 1, maxInteger: 512 }, min: 0, max: 1 },
        },
        controller_rate_limit: { type: { key: { type: 'integer', minInteger: 100 }, min: 0, max: 1 } },
        enable_async_messages: { type: { key: { type: 'boolean' }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        inactivity_probe: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        is_connected: { type: { key: { type: 'boolean' }, min: 1, max: 1 }, ephemeral: true },
        local_gateway: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        local_ip: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        local_netmask: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        max_backoff: { type: { key: { type: 'integer', minInteger: 1000 }, min: 0, max: 1 } },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        role: {
          type: { key: { type: 'string', enum: ['other', 'master', 'slave'] }, min: 0, max: 1 },
          ephemeral: true,
        },
        status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        target: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        type: { type: { key: { type: 'string', enum: ['primary', 'service'] }, min: 0, max: 1 } },
      },
    },
    Datapath: {
      columns: {
        capabilities: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        ct_zones: {
          type: {
            key: { type: 'integer', minInteger: 0, maxInteger: 65535 },
            value: { type: 'uuid', refTable: 'CT_Zone', refType: 'strong' },
            min: 0,
            max: 'unlimited',
          },
        },
        datapath_version: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
      },
    },
    Flow_Sample_Collector_Set: {
      columns: {
        bridge: { type: { key: { type: 'uuid', refTable: 'Bridge', refType: 'strong' }, min: 1, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        id: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 1, max: 1 } },
        ipfix: { type: { key: { type: 'uuid', refTable: 'IPFIX', refType: 'strong' }, min: 0, max: 1 } },
      },
      isRoot: true,
      indexes: [['id', 'bridge']],
    },
    Flow_Table: {
      columns: {
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        flow_limit: { type: { key: { type: 'integer', minInteger: 0 }, min: 0, max: 1 } },
        groups: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
        name: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        overflow_policy: { type: { key: { type: 'string', enum: ['refuse', 'evict'] }, min: 0, max: 1 } },
        prefixes: { type: { key: { type: 'string' }, min: 0, max: 3 } },
      },
    },
    IPFIX: {
      columns: {
        cache_active_timeout: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4200 }, min: 0, max: 1 },
        },
        cache_max_flows: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 0, max: 1 },
        },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        obs_domain_id: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 0, max: 1 },
        },
        obs_point_id: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 0, max: 1 },
        },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        sampling: {
          type: { key: { type: 'integer', minInteger: 1, maxInteger: 4294967295 }, min: 0, max: 1 },
        },
        targets: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
      },
    },
    Interface: {
      columns: {
        admin_state: {
          type: { key: { type: 'string', enum: ['up', 'down'] }, min: 0, max: 1 },
          ephemeral: true,
        },
        bfd: { type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' } },
        bfd_status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        cfm_fault: { type: { key: { type: 'boolean' }, min: 0, max: 1 }, ephemeral: true },
        cfm_fault_status: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' }, ephemeral: true },
        cfm_flap_count: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        cfm_health: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 100 }, min: 0, max: 1 },
          ephemeral: true,
        },
        cfm_mpid: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        cfm_remote_mpids: { type: { key: { type: 'integer' }, min: 0, max: 'unlimited' }, ephemeral: true },
        cfm_remote_opstate: {
          type: { key: { type: 'string', enum: ['up', 'down'] }, min: 0, max: 1 },
          ephemeral: true,
        },
        duplex: {
          type: { key: { type: 'string', enum: ['half', 'full'] }, min: 0, max: 1 },
          ephemeral: true,
        },
        error: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        ifindex: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 }, min: 0, max: 1 },
          ephemeral: true,
        },
        ingress_policing_burst: { type: { key: { type: 'integer', minInteger: 0 }, min: 1, max: 1 } },
        ingress_policing_kpkts_burst: { type: { key: { type: 'integer', minInteger: 0 }, min: 1, max: 1 } },
        ingress_policing_kpkts_rate: { type: { key: { type: 'integer', minInteger: 0 }, min: 1, max: 1 } },
        ingress_policing_rate: { type: { key: { type: 'integer', minInteger: 0 }, min: 1, max: 1 } },
        lacp_current: { type: { key: { type: 'boolean' }, min: 0, max: 1 }, ephemeral: true },
        link_resets: { type: { key: { type: 'integer' }, min: 0, max: 1 }, ephemeral: true },
        link_speed: { type: { key: { type: 'integer' }, min: 0, max: 1 }, ephemeral: true },
        link_state: {
          type: { key: { type: 'string', enum: ['up', 'down'] }, min: 0, max: 1 },
          ephemeral: true,
        },
        lldp: { type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' } },
        mac: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        mac_in_use: { type: { key: { type: 'string' }, min: 0, max: 1 }, ephemeral: true },
        mtu: { type: { key: { type: 'integer' }, min: 0, max: 1 }, ephemeral: true },
        mtu_request: { type: { key: { type: 'integer', minInteger: 1 }, min: 0, max: 1 } },
        name: { type: { key: { type: 'string' }, min: 1, max: 1 }, mutable: false },
        ofport: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        ofport_request: {
          type: { key: { type: 'integer', minInteger: 1, maxInteger: 65279 }, min: 0, max: 1 },
        },
        options: { type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' } },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        statistics: {
          type: { key: { type: 'string' }, value: { type: 'integer' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        type: { type: { key: { type: 'string' }, min: 1, max: 1 } },
      },
      indexes: [['name']],
    },
    Manager: {
      columns: {
        connection_mode: {
          type: { key: { type: 'string', enum: ['in-band', 'out-of-band'] }, min: 0, max: 1 },
        },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        inactivity_probe: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        is_connected: { type: { key: { type: 'boolean' }, min: 1, max: 1 }, ephemeral: true },
        max_backoff: { type: { key: { type: 'integer', minInteger: 1000 }, min: 0, max: 1 } },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        target: { type: { key: { type: 'string' }, min: 1, max: 1 } },
      },
      indexes: [['target']],
    },
    Mirror: {
      columns: {
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        name: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        output_port: { type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 1 } },
        output_vlan: { type: { key: { type: 'integer', minInteger: 1, maxInteger: 4095 }, min: 0, max: 1 } },
        select_all: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        select_dst_port: {
          type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 'unlimited' },
        },
        select_src_port: {
          type: { key: { type: 'uuid', refTable: 'Port', refType: 'weak' }, min: 0, max: 'unlimited' },
        },
        select_vlan: {
          type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 },
        },
        snaplen: { type: { key: { type: 'integer', minInteger: 14, maxInteger: 65535 }, min: 0, max: 1 } },
        statistics: {
          type: { key: { type: 'string' }, value: { type: 'integer' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
      },
    },
    NetFlow: {
      columns: {
        active_timeout: { type: { key: { type: 'integer', minInteger: -1 }, min: 1, max: 1 } },
        add_id_to_interface: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        engine_id: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 255 }, min: 0, max: 1 } },
        engine_type: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 255 }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        targets: { type: { key: { type: 'string' }, min: 1, max: 'unlimited' } },
      },
    },
    Open_vSwitch: {
      columns: {
        bridges: {
          type: { key: { type: 'uuid', refTable: 'Bridge', refType: 'strong' }, min: 0, max: 'unlimited' },
        },
        cur_cfg: { type: { key: { type: 'integer' }, min: 1, max: 1 } },
        datapath_types: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
        datapaths: {
          type: {
            key: { type: 'string' },
            value: { type: 'uuid', refTable: 'Datapath', refType: 'strong' },
            min: 0,
            max: 'unlimited',
          },
        },
        db_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        dpdk_initialized: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        dpdk_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        iface_types: { type: { key: { type: 'string' }, min: 0, max: 'unlimited' } },
        manager_options: {
          type: { key: { type: 'uuid', refTable: 'Manager', refType: 'strong' }, min: 0, max: 'unlimited' },
        },
        next_cfg: { type: { key: { type: 'integer' }, min: 1, max: 1 } },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        ovs_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        ssl: { type: { key: { type: 'uuid', refTable: 'SSL', refType: 'strong' }, min: 0, max: 1 } },
        statistics: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        system_type: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        system_version: { type: { key: { type: 'string' }, min: 0, max: 1 } },
      },
      isRoot: true,
      maxRows: 1,
    },
    Port: {
      columns: {
        bond_active_slave: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        bond_downdelay: { type: { key: { type: 'integer' }, min: 1, max: 1 } },
        bond_fake_iface: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        bond_mode: {
          type: {
            key: { type: 'string', enum: ['balance-tcp', 'balance-slb', 'active-backup'] },
            min: 0,
            max: 1,
          },
        },
        bond_updelay: { type: { key: { type: 'integer' }, min: 1, max: 1 } },
        cvlans: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        fake_bridge: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        interfaces: {
          type: { key: { type: 'uuid', refTable: 'Interface', refType: 'strong' }, min: 1, max: 'unlimited' },
        },
        lacp: { type: { key: { type: 'string', enum: ['active', 'passive', 'off'] }, min: 0, max: 1 } },
        mac: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        name: { type: { key: { type: 'string' }, min: 1, max: 1 }, mutable: false },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        protected: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        qos: { type: { key: { type: 'uuid', refTable: 'QoS', refType: 'strong' }, min: 0, max: 1 } },
        rstp_statistics: {
          type: { key: { type: 'string' }, value: { type: 'integer' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        rstp_status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        statistics: {
          type: { key: { type: 'string' }, value: { type: 'integer' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        status: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
          ephemeral: true,
        },
        tag: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 1 } },
        trunks: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 4095 }, min: 0, max: 4096 } },
        vlan_mode: {
          type: {
            key: {
              type: 'string',
              enum: ['trunk', 'access', 'native-tagged', 'native-untagged', 'dot1q-tunnel'],
            },
            min: 0,
            max: 1,
          },
        },
      },
      indexes: [['name']],
    },
    QoS: {
      columns: {
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        queues: {
          type: {
            key: { type: 'integer', minInteger: 0, maxInteger: 4294967295 },
            value: { type: 'uuid', refTable: 'Queue', refType: 'strong' },
            min: 0,
            max: 'unlimited',
          },
        },
        type: { type: { key: { type: 'string' }, min: 1, max: 1 } },
      },
      isRoot: true,
    },
    Queue: {
      columns: {
        dscp: { type: { key: { type: 'integer', minInteger: 0, maxInteger: 63 }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        other_config: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
      },
      isRoot: true,
    },
    SSL: {
      columns: {
        bootstrap_ca_cert: { type: { key: { type: 'boolean' }, min: 1, max: 1 } },
        ca_cert: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        certificate: { type: { key: { type: 'string' }, min: 1, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        private_key: { type: { key: { type: 'string' }, min: 1, max: 1 } },
      },
      maxRows: 1,
    },
    sFlow: {
      columns: {
        agent: { type: { key: { type: 'string' }, min: 0, max: 1 } },
        external_ids: {
          type: { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: 'unlimited' },
        },
        header: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        polling: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        sampling: { type: { key: { type: 'integer' }, min: 0, max: 1 } },
        targets: { type: { key: { type: 'string' }, min: 1, max: 'unlimited' } },
      },
    },
  },
});
