// Protocol numbers from the OpenFlow 1.3.5 specification and Open vSwitch's extensions
// (nicira-ext.h, openflow-1.3.h). Named here once; every codec refers to these names.

export const OFP13_VERSION = 0x04;
export const OFP_HEADER_LEN = 8;
/** Largest OpenFlow message: the length field is 16 bits. */
export const OFP_MAX_MESSAGE_LEN = 0xffff;

export const OFPT = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
} as const;

/** Reserved port numbers (OFPP_*). */
export const OFPP = {
  MAX: 0xffffff00,
  IN_PORT: 0xfffffff8,
  TABLE: 0xfffffff9,
  NORMAL: 0xfffffffa,
  FLOOD: 0xfffffffb,
  ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd,
  LOCAL: 0xfffffffe,
  ANY: 0xffffffff,
} as const;

/** Reserved port names as ovs-ofctl prints them. */
export const RESERVED_PORT_NAMES: ReadonlyMap<number, string> = new Map([
  [OFPP.IN_PORT, 'IN_PORT'],
  [OFPP.TABLE, 'TABLE'],
  [OFPP.NORMAL, 'NORMAL'],
  [OFPP.FLOOD, 'FLOOD'],
  [OFPP.ALL, 'ALL'],
  [OFPP.CONTROLLER, 'CONTROLLER'],
  [OFPP.LOCAL, 'LOCAL'],
  [OFPP.ANY, 'ANY'],
]);

export const OFPG = { MAX: 0xffffff00, ALL: 0xfffffffc, ANY: 0xffffffff } as const;
export const OFPTT_ALL = 0xff;
export const OFP_NO_BUFFER = 0xffffffff;
export const OFPCML_NO_BUFFER = 0xffff;
export const OFP_DEFAULT_PRIORITY = 0x8000;

export const OFPAT = {
  OUTPUT: 0,
  COPY_TTL_OUT: 11,
  COPY_TTL_IN: 12,
  SET_MPLS_TTL: 15,
  DEC_MPLS_TTL: 16,
  PUSH_VLAN: 17,
  POP_VLAN: 18,
  PUSH_MPLS: 19,
  POP_MPLS: 20,
  SET_QUEUE: 21,
  GROUP: 22,
  SET_NW_TTL: 23,
  DEC_NW_TTL: 24,
  SET_FIELD: 25,
  EXPERIMENTER: 0xffff,
} as const;

/** Nicira action subtypes (nicira-ext.h / ofp-actions.c). */
export const NXAST = {
  RESUBMIT: 1,
  REG_MOVE: 6,
  REG_LOAD: 7,
  NOTE: 8,
  RESUBMIT_TABLE: 14,
  OUTPUT_REG: 15,
  LEARN: 16,
  EXIT: 17,
  CONTROLLER: 20,
  DEC_TTL_CNT_IDS: 21,
  REG_LOAD2: 33,
  CONJUNCTION: 34,
  CT: 35,
  NAT: 36,
  CONTROLLER2: 37,
  CT_CLEAR: 43,
  RESUBMIT_TABLE_CT: 44,
  LEARN2: 45,
} as const;

export const OFPIT = {
  GOTO_TABLE: 1,
  WRITE_METADATA: 2,
  WRITE_ACTIONS: 3,
  APPLY_ACTIONS: 4,
  CLEAR_ACTIONS: 5,
  METER: 6,
} as const;

export const OFPFC = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;

export const OFPFF = {
  SEND_FLOW_REM: 1 << 0,
  CHECK_OVERLAP: 1 << 1,
  RESET_COUNTS: 1 << 2,
  NO_PKT_COUNTS: 1 << 3,
  NO_BYT_COUNTS: 1 << 4,
} as const;

export const OFPGC = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;
export const OFPGT = { ALL: 0, SELECT: 1, INDIRECT: 2, FF: 3 } as const;

export const OFPMP = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  GROUP: 6,
  GROUP_DESC: 7,
  PORT_DESC: 13,
  EXPERIMENTER: 0xffff,
} as const;
export const OFPMPF_MORE = 1;

export const OFPCR_ROLE = { NOCHANGE: 0, EQUAL: 1, MASTER: 2, SLAVE: 3 } as const;

/** Experimenter ids. */
export const NX_VENDOR_ID = 0x00002320;
export const ONF_VENDOR_ID = 0x4f4e4600;

/** Nicira message subtypes carried in OFPT_EXPERIMENTER. */
export const NXT = {
  SET_PACKET_IN_FORMAT: 16,
  SET_CONTROLLER_ID: 20,
  RESUME: 28,
  PACKET_IN2: 30,
} as const;
export const NXPIF = { STANDARD: 0, NXT_PACKET_IN: 1, NXT_PACKET_IN2: 2 } as const;

/** ONF bundle extension for OpenFlow 1.3 (ONF EXT-230). */
export const ONFT = { BUNDLE_CONTROL: 2300, BUNDLE_ADD_MESSAGE: 2301 } as const;
export const ONF_BCT = {
  OPEN_REQUEST: 0,
  OPEN_REPLY: 1,
  CLOSE_REQUEST: 2,
  CLOSE_REPLY: 3,
  COMMIT_REQUEST: 4,
  COMMIT_REPLY: 5,
  DISCARD_REQUEST: 6,
  DISCARD_REPLY: 7,
} as const;
export const ONF_BF = { ATOMIC: 1, ORDERED: 2 } as const;

export const OFPR = {
  NO_MATCH: 0,
  ACTION: 1,
  INVALID_TTL: 2,
  ACTION_SET: 3,
  GROUP: 4,
  PACKET_OUT: 5,
} as const;
