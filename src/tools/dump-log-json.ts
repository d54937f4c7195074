/**
 * JSON of decoded protocol data the way Kafka's generated `*JsonConverter.write(data, version)` classes build
 * it and Jackson prints it (ObjectNode.toString), for kafka-dump-log's decoders:
 *
 * - the fields of the message at that version, in schema order, under their camelCase names; fields the
 *   version lacks are left out;
 * - ints and longs as JSON numbers, strings as strings, nullable fields as null, bytes as a Base64 string
 *   (Jackson's BinaryNode), arrays and structs as arrays and objects;
 * - compact output, strings escaped as Jackson escapes them (`"`, `\` and control characters; `\u00XX` with
 *   upper-case hex; nothing else).
 *
 * The definitions are the project's declarative schemas (src/protocol/definition.ts), so no converter is
 * written per message.
 */
import { fieldKey, type FieldDefinition, type MessageDefinition } from '../protocol';
import { versionsContain } from '../protocol/versions';

/** A JSON value as Jackson holds it: Buffers are BinaryNodes (printed as Base64). */
export type JsonNode = null | boolean | number | string | Buffer | JsonNode[] | { [key: string]: JsonNode };

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'string', 'bytes', 'records', 'uuid']);

function primitiveNode(type: string, value: unknown): JsonNode {
  if (value === null || value === undefined) return null;
  if (type === 'bytes' || type === 'records') return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
  if (type === 'bool') return Boolean(value);
  if (type === 'string' || type === 'uuid') return String(value);
  return Number(value);
}

function structFields(message: MessageDefinition, field: FieldDefinition, typeName: string): readonly FieldDefinition[] {
  if (field.fields) return field.fields;
  const common = message.commonStructs?.[typeName];
  if (!common) throw new Error(`${message.name}: no definition of struct ${typeName}`);
  return common.fields;
}

function fieldNode(message: MessageDefinition, field: FieldDefinition, version: number, value: unknown): JsonNode {
  if (value === null || value === undefined) return null;
  if (field.type.startsWith('[]')) {
    const element = field.type.slice(2);
    const list = value as unknown[];
    if (PRIMITIVES.has(element)) return list.map((v) => primitiveNode(element, v));
    const fields = structFields(message, field, element);
    return list.map((v) => structNode(message, { fields, version }, v as Record<string, unknown>));
  }
  if (PRIMITIVES.has(field.type)) return primitiveNode(field.type, value);
  return structNode(message, { fields: structFields(message, field, field.type), version }, value as Record<string, unknown>);
}

function structNode(
  message: MessageDefinition,
  struct: { fields: readonly FieldDefinition[]; version: number },
  data: Record<string, unknown>,
): { [key: string]: JsonNode } {
  const out: { [key: string]: JsonNode } = {};
  for (const field of struct.fields) {
    if (!versionsContain(field.versions, struct.version)) continue;
    const key = fieldKey(field.name);
    out[key] = fieldNode(message, field, struct.version, data[key]);
  }
  return out;
}

/** `<Message>JsonConverter.write(data, version)`: the JSON tree of decoded message data. */
export function messageJson(message: MessageDefinition, version: number, data: Record<string, unknown>): { [key: string]: JsonNode } {
  return structNode(message, { fields: message.fields, version }, data);
}

/** Jackson's escaping of a JSON string (JsonGenerator defaults). */
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += text[i];
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else out += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** ObjectNode.toString: compact JSON, Base64 for binary values. */
export function jacksonString(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'boolean' || typeof node === 'number') return String(node);
  if (typeof node === 'string') return quote(node);
  if (Buffer.isBuffer(node)) return quote(node.toString('base64'));
  if (Array.isArray(node)) return `[${node.map(jacksonString).join(',')}]`;
  return `{${Object.entries(node)
    .map(([k, v]) => `${quote(k)}:${jacksonString(v)}`)
    .join(',')}}`;
}
