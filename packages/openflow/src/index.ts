// @weir/openflow — OpenFlow 1.3 + Nicira extensions for TypeScript: message codec, canonical
// flow text (the ovs-ofctl dialect), and a switch channel. Knows nothing of Weir.
export * from './constants.js';
export { OpenFlowError, type OpenFlowErrorCode } from './errors.js';
export { Reader, Writer } from './bytes.js';
export type { FieldName, FieldValues, FieldValue, FieldMatch } from './fields/types.js';
export { CT_STATE, OFPVID_PRESENT } from './fields/types.js';
export { FIELD_SPECS, fieldByName, type FieldSpec } from './fields/registry.js';
export { valueToBigInt, valueFromBigInt } from './fields/values.js';
export type { Match, MatchEntry, UnknownMatchField } from './match/types.js';
export { canonicalMatchOrder, validateMatch } from './match/oxm.js';
export { matchFacts, prerequisitesHold, type MatchFacts } from './match/prerequisites.js';
export type * from './actions/types.js';
export { applyActions } from './actions/codec.js';
export { wholeField } from './actions/subfield.js';
export type * from './messages/types.js';
export { encodeMessage, encodeMessageInto, decodeMessage } from './messages/codec.js';
export { flowMod, flowModOfStats } from './messages/flow.js';
export { bucket } from './messages/group.js';
export { errorName } from './messages/describe-error.js';
export { formatMatch } from './text/format-match.js';
export { formatAction, formatActions, formatInstructions, formatSubfield } from './text/format-actions.js';
export { formatFlowStats, formatFlowMod, type FlowTextOptions } from './text/format-flow.js';
export { parseFlow, parseFlows } from './text/parse-flow.js';
export { parseAction, parseActionList, parseInstructions, parseSubfield } from './text/parse-actions.js';
export { formatGroup, parseGroup } from './text/group.js';
export {
  OpenFlowConnection,
  SwitchError,
  type ConnectionOptions,
  type SwitchFeatures,
} from './channel/connection.js';
export { SwitchClient, type ClientOptions } from './channel/client.js';
export { OpenFlowListener } from './channel/listener.js';
export { sendBundle, BundleError, type BundleOptions } from './channel/bundle.js';
export { MessageFramer } from './channel/framer.js';
export { parseTarget, type Target } from './channel/transport.js';
