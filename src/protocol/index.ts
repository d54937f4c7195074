// Public API of the Kafka wire-protocol layer: api keys, error codes, request/response framing, the
// declarative message definitions and their static types. Record batches live in ./records.

export { ApiKeys, apiName, type AnyApiKey, type ApiName } from './api-keys';
export {
  apiDefinition,
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  isDefinedApiKey,
  requestHeaderVersion,
  responseHeaderVersion,
  supportedVersions,
  type ApiDefinitionOf,
  type ApiKey,
  type RequestHeader,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
} from './codec';
export type { MessageData, MessageInput, RawTaggedField, StructData, StructInput } from './data-types';
export {
  defineApi,
  defineMessage,
  field,
  fieldKey,
  type ApiDefinition,
  type FieldDefinition,
  type MessageDefinition,
} from './definition';
export { ErrorCode, allErrorInfos, errorInfo, type ErrorCodeValue, type ErrorInfo, type ErrorName } from './errors';
export * from './messages/index';
export {
  ProtocolDecodeError,
  ProtocolEncodeError,
  ProtocolError,
  ProtocolErrorCodes,
  ProtocolSchemaError,
  UnsupportedApiVersionError,
} from './protocol-errors';
export { ByteReader } from './reader';
export { ZERO_UUID, messageDefaults, messagePlan, type FieldPlan, type StructPlan } from './schema';
export { ByteWriter } from './writer';
