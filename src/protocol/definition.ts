// The schema DSL: how src/protocol/messages/ describes every version of a Kafka message as data.
//
// It mirrors the structure of Kafka's message JSON (clients/src/main/resources/common/message/, 3.9):
// a message has validVersions and flexibleVersions (KIP-482) and an ordered list of fields; a field has a
// type (`int32`, `string`, `[]int32`, `[]SomeStruct`, `SomeStruct`), the versions it exists in, optional
// nullableVersions, taggedVersions + tag, default and ignorable. Structs are defined inline through the
// field's own `fields`, or once under `commonStructs` and referenced by name. Definitions are written with
// `as const`-style literal inference (the `const` type parameters below), so data-types.ts can derive the
// static TypeScript types of requests and responses from the very same objects the interpreter runs on.

/** Primitive wire types (see the encoding table in Kafka's protocol guide). */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'uint32'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** Semantic tags Kafka attaches to fields; no effect on the wire (useful for validation and authorization). */
export type EntityType = 'topicName' | 'brokerId' | 'groupId' | 'transactionalId' | 'producerId';

/** Which kinds of servers serve a request: ZooKeeper-mode broker, KRaft broker, KRaft controller. */
export type Listener = 'zkBroker' | 'broker' | 'controller';

/** A field default: numbers (int64 included), booleans, strings, or null for nullable fields. */
export type DefaultValue = number | boolean | string | null;

/** Everything about a field except its name and type. */
export interface FieldOptions {
  /** Versions in which the field is on the wire, e.g. "3+" or "0-12". */
  readonly versions: string;
  /** Versions in which null is a legal value (strings, bytes, records, arrays, structs). */
  readonly nullableVersions?: string;
  /** Versions in which the field is an optional tagged field (KIP-482) identified by `tag`. */
  readonly taggedVersions?: string;
  readonly tag?: number;
  /** Value assumed when absent; otherwise 0, false, "", empty bytes, zero uuid, null records, []. */
  readonly default?: DefaultValue;
  /** If true, a non-default value is silently dropped when writing a version that lacks the field. */
  readonly ignorable?: boolean;
  /** Array elements are keyed by this field (no wire effect). */
  readonly mapKey?: boolean;
  readonly entityType?: EntityType;
  /** Kafka's generated code references the input buffer instead of copying (we always slice). */
  readonly zeroCopy?: boolean;
  /** Overrides the message's flexible versions for this field (only RequestHeader.ClientId uses it). */
  readonly flexibleVersions?: string;
  /** Fields of an inline struct type (for `SomeStruct` and `[]SomeStruct` types). */
  readonly fields?: readonly FieldDefinition[];
}

/** One field of a message or struct. */
export interface FieldDefinition extends FieldOptions {
  /** Kafka's PascalCase name; decoded objects use it with a lower-case first letter. */
  readonly name: string;
  /** A PrimitiveType, `[]` + element type, or a struct name. */
  readonly type: string;
}

/** A struct declared under commonStructs and referenced by name from several fields. */
export interface StructDefinition {
  readonly versions: string;
  readonly fields: readonly FieldDefinition[];
}

/**
 * A request, response or header, or a `data` payload carried inside another message (e.g. the consumer
 * protocol's subscription bytes, or __consumer_offsets keys and values): all of its versions.
 */
export interface MessageDefinition {
  /** Kafka's name, e.g. "MetadataRequest". */
  readonly name: string;
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly validVersions: string;
  /** Versions using compact encodings and tagged-field sections, e.g. "9+", or "none". */
  readonly flexibleVersions: string;
  /** Versions still served in 3.9 but scheduled for removal (KIP-896). */
  readonly deprecatedVersions?: string;
  /** The highest version is still in development and is not advertised by default. */
  readonly latestVersionUnstable?: boolean;
  /** (requests) The server roles that serve this API. */
  readonly listeners?: readonly Listener[];
  readonly fields: readonly FieldDefinition[];
  readonly commonStructs?: { readonly [name: string]: StructDefinition };
}

/** One Kafka API: its key, and the request and response definitions. */
export interface ApiDefinition {
  readonly apiKey: number;
  /** Kafka's API name, e.g. "Metadata". */
  readonly name: string;
  readonly request: MessageDefinition;
  readonly response: MessageDefinition;
}

/**
 * Declares a field. `options.fields` makes the type an inline struct.
 * The `const` type parameters keep every literal, so static types can be derived from definitions.
 */
export function field<const N extends string, const T extends string, const O extends FieldOptions>(
  name: N,
  type: T,
  options: O,
): { readonly name: N; readonly type: T } & O {
  return { name, type, ...options };
}

/** Declares a request, response or header message, keeping its literal types. */
export function defineMessage<const M extends MessageDefinition>(message: M): M {
  return message;
}

/** Declares an API (request and response), keeping its literal types. */
export function defineApi<const D extends ApiDefinition>(api: D): D {
  return api;
}

/** The key under which a decoded object holds a field: Kafka's name with a lower-case first letter. */
export function fieldKey(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
