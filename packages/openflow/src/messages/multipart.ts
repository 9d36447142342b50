// Multipart requests and replies (§7.3.5) for the kinds a controller needs: switch description,
// flow stats, group descriptions and port descriptions. Others pass through as raw bodies.
import type { Reader, Writer } from '../bytes.js';
import { invalid } from '../errors.js';
import { OFPMP } from '../constants.js';
import { readFlowStats, readFlowStatsRequest, writeFlowStats, writeFlowStatsRequest } from './flow.js';
import { readGroupDesc, writeGroupDesc } from './group.js';
import { OFP_PORT_LEN, readPort, writePort } from './port.js';
import type { FlowStats, GroupDesc, MultipartReplyBody, MultipartRequestBody, PortDesc } from './types.js';

const KIND_CODES = {
  desc: OFPMP.DESC,
  flow: OFPMP.FLOW,
  group_desc: OFPMP.GROUP_DESC,
  port_desc: OFPMP.PORT_DESC,
} as const;

function kindCode(body: MultipartRequestBody | MultipartReplyBody): number {
  if (body.kind === 'unknown') return body.mpType;
  const code = KIND_CODES[body.kind] as number | undefined;
  if (code === undefined) throw invalid(`unknown multipart kind ${String(body.kind)}`);
  return code;
}

export function writeMultipartRequest(w: Writer, more: boolean, body: MultipartRequestBody): void {
  w.u16(kindCode(body));
  w.u16(more ? 1 : 0);
  w.zeros(4);
  switch (body.kind) {
    case 'flow':
      writeFlowStatsRequest(w, body);
      return;
    case 'unknown':
      w.bytes(body.body, 'multipart body');
      return;
    default:
      return;
  }
}

export function readMultipartRequest(r: Reader): { more: boolean; body: MultipartRequestBody } {
  const mpType = r.u16('multipart type');
  const more = (r.u16('multipart flags') & 1) === 1;
  r.skip(4);
  switch (mpType) {
    case OFPMP.DESC:
      return { more, body: { kind: 'desc' } };
    case OFPMP.FLOW:
      return { more, body: { kind: 'flow', ...readFlowStatsRequest(r) } };
    case OFPMP.GROUP_DESC:
      return { more, body: { kind: 'group_desc' } };
    case OFPMP.PORT_DESC:
      return { more, body: { kind: 'port_desc' } };
    default:
      return { more, body: { kind: 'unknown', mpType, body: r.bytes(r.remaining) } };
  }
}

export function writeMultipartReply(w: Writer, more: boolean, body: MultipartReplyBody): void {
  w.u16(kindCode(body));
  w.u16(more ? 1 : 0);
  w.zeros(4);
  switch (body.kind) {
    case 'desc':
      w.fixedString(body.desc.manufacturer, 256, 'mfr_desc');
      w.fixedString(body.desc.hardware, 256, 'hw_desc');
      w.fixedString(body.desc.software, 256, 'sw_desc');
      w.fixedString(body.desc.serialNumber, 32, 'serial_num');
      w.fixedString(body.desc.datapath, 256, 'dp_desc');
      return;
    case 'flow':
      for (const f of body.flows) writeFlowStats(w, f);
      return;
    case 'group_desc':
      for (const g of body.groups) writeGroupDesc(w, g);
      return;
    case 'port_desc':
      for (const p of body.ports) writePort(w, p);
      return;
    case 'unknown':
      w.bytes(body.body, 'multipart body');
      return;
  }
}

export function readMultipartReply(r: Reader): { more: boolean; body: MultipartReplyBody } {
  const mpType = r.u16('multipart type');
  const more = (r.u16('multipart flags') & 1) === 1;
  r.skip(4);
  switch (mpType) {
    case OFPMP.DESC:
      return {
        more,
        body: {
          kind: 'desc',
          desc: {
            manufacturer: r.fixedString(256, 'mfr_desc'),
            hardware: r.fixedString(256, 'hw_desc'),
            software: r.fixedString(256, 'sw_desc'),
            serialNumber: r.fixedString(32, 'serial_num'),
            datapath: r.fixedString(256, 'dp_desc'),
          },
        },
      };
    case OFPMP.FLOW: {
      const flows: FlowStats[] = [];
      while (r.remaining > 0) flows.push(readFlowStats(r));
      return { more, body: { kind: 'flow', flows } };
    }
    case OFPMP.GROUP_DESC: {
      const groups: GroupDesc[] = [];
      while (r.remaining > 0) groups.push(readGroupDesc(r));
      return { more, body: { kind: 'group_desc', groups } };
    }
    case OFPMP.PORT_DESC: {
      const ports: PortDesc[] = [];
      while (r.remaining > 0) ports.push(readPort(r.sub(OFP_PORT_LEN, 'ofp_port')));
      return { more, body: { kind: 'port_desc', ports } };
    }
    default:
      return { more, body: { kind: 'unknown', mpType, body: r.bytes(r.remaining) } };
  }
}
