// Static types of decoded and encodable messages, derived at the type level from the definitions.
//
// A definition written with field()/defineMessage() keeps every literal (names, types, nullableVersions),
// so `MessageData<typeof X.request>` maps each field to a camelCase property: bool → boolean, integers and
// float64 → number (int64 included), string → string, bytes → Buffer, records → Buffer | null, uuid → the
// 22-character base64url string, arrays → arrays, structs → objects; `| null` where the field has
// nullableVersions. Decoded objects always hold every field (absent ones carry their defaults); the
// *Input variants, accepted by the encoders, make every field optional and let records be a list of chunks.

import type { FieldDefinition, MessageDefinition, PrimitiveType } from './definition';

/** A tagged field the definitions do not know, kept as raw bytes so it can be re-encoded as received. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

/** Present on a decoded struct only when the peer sent tagged fields we do not know. */
export interface UnknownTaggedFields {
  _unknownTaggedFields?: RawTaggedField[];
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type PrimitiveData<T extends string> = T extends 'bool'
  ? boolean
  : T extends 'string' | 'uuid'
    ? string
    : T extends 'bytes' | 'records'
      ? Buffer
      : number;

type NullIfNullable<F> = F extends { readonly nullableVersions: string } ? null : never;

type CommonStructsOf<M> = M extends { readonly commonStructs: infer C } ? C : {};

/** The fields of the struct a field refers to: inline `fields`, or the named common struct. */
type StructFieldsOf<F, S, C> = F extends { readonly fields: infer Fs extends readonly FieldDefinition[] }
  ? Fs
  : S extends keyof C
    ? C[S] extends { readonly fields: infer Fs extends readonly FieldDefinition[] }
      ? Fs
      : never
    : never;

type FieldData<F extends FieldDefinition, C> = F['type'] extends `[]${infer E}`
  ? ElementData<F, E, C>[] | NullIfNullable<F>
  : F['type'] extends 'records'
    ? Buffer | null
    : F['type'] extends PrimitiveType
      ? PrimitiveData<F['type']> | NullIfNullable<F>
      : StructData<StructFieldsOf<F, F['type'], C>, C> | NullIfNullable<F>;

type ElementData<F, E extends string, C> = E extends PrimitiveType
  ? PrimitiveData<E>
  : StructData<StructFieldsOf<F, E, C>, C>;

/** A decoded struct: every field present (defaults filled in for versions that lack it). */
export type StructData<Fs extends readonly FieldDefinition[], C> = Simplify<
  { -readonly [F in Fs[number] as Uncapitalize<F['name']>]: FieldData<F, C> } & UnknownTaggedFields
>;

type FieldInput<F extends FieldDefinition, C> = F['type'] extends `[]${infer E}`
  ? readonly ElementInput<F, E, C>[] | NullIfNullable<F>
  : F['type'] extends 'records'
    ? Buffer | readonly Buffer[] | null
    : F['type'] extends PrimitiveType
      ? PrimitiveData<F['type']> | NullIfNullable<F>
      : StructInput<StructFieldsOf<F, F['type'], C>, C> | NullIfNullable<F>;

type ElementInput<F, E extends string, C> = E extends PrimitiveType
  ? PrimitiveData<E>
  : StructInput<StructFieldsOf<F, E, C>, C>;

/** What the encoder accepts for a struct: any subset of the fields (missing ones take their defaults). */
export type StructInput<Fs extends readonly FieldDefinition[], C> = Simplify<
  { [F in Fs[number] as Uncapitalize<F['name']>]?: FieldInput<F, C> } & UnknownTaggedFields
>;

/** The decoded, version-agnostic object of a message definition. */
export type MessageData<M extends MessageDefinition> = StructData<M['fields'], CommonStructsOf<M>>;

/** What the encoder accepts for a message definition. */
export type MessageInput<M extends MessageDefinition> = StructInput<M['fields'], CommonStructsOf<M>>;
