// The schema interpreter: turns a message definition and a version into a compiled plan that decodes from a
// ByteReader and encodes to a ByteWriter.
//
// Follows the rules of Kafka's generated message classes (3.9): fields are written in definition order;
// fields the version lacks are not on the wire and read as their defaults, so handlers see one
// version-agnostic object; writing a non-default value into a version that lacks a non-ignorable field is an
// error (Kafka: "Attempted to write a non-default X at version N"), an ignorable one is dropped; in flexible
// versions (KIP-482) every struct ends with a tagged-field section, known tagged fields are written only
// when they differ from their default, in ascending tag order, and unknown tags read from the wire are kept
// in `_unknownTaggedFields` and written back. Plans are compiled once per (definition, version) and cached;
// decoding allocates only the result objects, never closures.

import type { FieldDefinition, MessageDefinition, PrimitiveType, StructDefinition } from './definition';
import { fieldKey } from './definition';
import type { RawTaggedField } from './data-types';
import { arrayCodec, primitiveCodec, structFieldCodec, type FieldCodec } from './field-codecs';
import { ProtocolDecodeError, ProtocolEncodeError, ProtocolError, ProtocolSchemaError } from './protocol-errors';
import type { ByteReader } from './reader';
import { parseVersionRange, rangeContains, type VersionRange } from './versions';
import { ByteWriter } from './writer';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'string', 'bytes', 'records', 'uuid',
]);

/** The all-zero uuid, Kafka's Uuid.ZERO_UUID, as printed. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const EMPTY_BUFFER = Buffer.alloc(0);

/** How a field appears in a given version. */
const FieldMode = { ABSENT: 0, POSITIONAL: 1, TAGGED: 2 } as const;
type FieldMode = (typeof FieldMode)[keyof typeof FieldMode];

/** One field of a compiled struct plan. */
export interface FieldPlan {
  readonly name: string;
  readonly key: string;
  readonly mode: FieldMode;
  readonly tag: number;
  readonly ignorable: boolean;
  /** Present only when mode is not ABSENT. */
  readonly codec: FieldCodec | undefined;
  /** A fresh default value (arrays and structs are new objects each time). */
  readonly makeDefault: () => unknown;
  /** The default as a shared, read-only value, for writing. */
  readonly writeDefault: unknown;
  readonly isDefault: (v: unknown) => boolean;
}

/** A struct (or message body) compiled for one version. */
export interface StructPlan {
  readonly name: string;
  readonly version: number;
  readonly flexible: boolean;
  readonly fields: readonly FieldPlan[];
  /** Tagged fields of this version, by ascending tag. */
  readonly tagged: readonly FieldPlan[];
  readonly minSize: number;
  decode(r: ByteReader): Record<string, unknown>;
  encode(w: ByteWriter, value: Record<string, unknown>): void;
  /** A new object holding every field's default. */
  makeDefault(): Record<string, unknown>;
  /** True if every field holds its default (and no unknown tagged fields are attached). */
  isDefault(value: Record<string, unknown>): boolean;
}

interface CompileContext {
  readonly message: MessageDefinition;
  readonly version: number;
  readonly flexible: boolean;
  /** Struct plans of this (message, version) by struct name, so common structs compile once. */
  readonly structs: Map<string, StructPlan>;
}

function parseDefault(f: FieldDefinition, kind: string): unknown {
  const d = f.default;
  switch (kind) {
    case 'bool':
      if (d === undefined) return false;
      if (typeof d !== 'boolean') throw new ProtocolSchemaError(`Default of ${f.name} must be a boolean`);
      return d;
    case 'string':
      if (d === undefined) return '';
      if (d !== null && typeof d !== 'string') throw new ProtocolSchemaError(`Default of ${f.name} must be a string`);
      return d;
    case 'uuid':
      return d === undefined ? ZERO_UUID : d;
    case 'bytes':
      if (d === null) return null;
      if (d !== undefined) throw new ProtocolSchemaError(`Bytes field ${f.name} only supports a null default`);
      return EMPTY_BUFFER;
    case 'records':
      return null;
    default:
      if (d === undefined) return 0;
      if (typeof d !== 'number') throw new ProtocolSchemaError(`Default of ${f.name} must be a number`);
      return d;
  }
}

function structFieldsOf(f: FieldDefinition, typeName: string, ctx: CompileContext): readonly FieldDefinition[] {
  if (f.fields !== undefined) return f.fields;
  const common: StructDefinition | undefined = ctx.message.commonStructs?.[typeName];
  if (common === undefined) {
    throw new ProtocolSchemaError(`${ctx.message.name}: field ${f.name} refers to unknown struct ${typeName}`);
  }
  return common.fields;
}

function structPlanFor(f: FieldDefinition, typeName: string, ctx: CompileContext): StructPlan {
  let plan = ctx.structs.get(typeName);
  if (plan === undefined) {
    plan = compileStruct(typeName, structFieldsOf(f, typeName, ctx), ctx);
    ctx.structs.set(typeName, plan);
  }
  return plan;
}

function compileField(f: FieldDefinition, ctx: CompileContext, structName: string): FieldPlan {
  const { version } = ctx;
  const versions = parseVersionRange(f.versions);
  const present = rangeContains(versions, version);
  const tagged = present && f.taggedVersions !== undefined && rangeContains(parseVersionRange(f.taggedVersions), version);
  if (f.taggedVersions !== undefined && f.tag === undefined) {
    throw new ProtocolSchemaError(`${structName}.${f.name} has taggedVersions but no tag`);
  }
  const nullableRange: VersionRange | undefined = f.nullableVersions === undefined ? undefined : parseVersionRange(f.nullableVersions);
  const options = {
    flexible: f.flexibleVersions === undefined ? ctx.flexible : rangeContains(parseVersionRange(f.flexibleVersions), version),
    nullable: nullableRange !== undefined && rangeContains(nullableRange, version),
    path: `${structName}.${f.name}`,
  };
  const key = fieldKey(f.name);
  const base = { name: f.name, key, mode: tagged ? FieldMode.TAGGED : present ? FieldMode.POSITIONAL : FieldMode.ABSENT };
  const tag = f.tag ?? -1;
  const ignorable = f.ignorable === true;

  if (f.type.startsWith('[]')) {
    const elementType = f.type.slice(2);
    let element: FieldCodec;
    if (PRIMITIVES.has(elementType)) {
      element = primitiveCodec(elementType as PrimitiveType, { ...options, nullable: false, path: `${options.path}[]` });
    } else {
      const plan = structPlanFor(f, elementType, ctx);
      element = { read: (r) => plan.decode(r), write: (w, v) => plan.encode(w, v as Record<string, unknown>), minSize: plan.minSize };
    }
    if (f.default !== undefined && f.default !== null) throw new ProtocolSchemaError(`${options.path}: arrays only support a null default`);
    const nullDefault = f.default === null;
    return {
      ...base,
      tag,
      ignorable,
      codec: present ? arrayCodec(element, options) : undefined,
      makeDefault: nullDefault ? () => null : () => [],
      writeDefault: nullDefault ? null : Object.freeze([]),
      isDefault: nullDefault ? (v) => v === null : (v) => Array.isArray(v) && v.length === 0,
    };
  }

  if (PRIMITIVES.has(f.type)) {
    const type = f.type as PrimitiveType;
    const def = parseDefault(f, type);
    let isDefault: (v: unknown) => boolean = (v) => v === def;
    if (type === 'bytes') isDefault = def === null ? (v) => v === null : (v) => v instanceof Uint8Array && v.length === 0;
    if (type === 'records') isDefault = (v) => v === null;
    return {
      ...base,
      tag,
      ignorable,
      codec: present ? primitiveCodec(type, options) : undefined,
      makeDefault: () => def,
      writeDefault: def,
      isDefault,
    };
  }

  // A struct-typed field (inline or common struct).
  const plan = structPlanFor(f, f.type, ctx);
  const structCodec: FieldCodec = {
    read: (r) => plan.decode(r),
    write: (w, v) => plan.encode(w, v as Record<string, unknown>),
    minSize: plan.minSize,
  };
  const nullDefault = f.default === null;
  return {
    ...base,
    tag,
    ignorable,
    codec: present ? structFieldCodec(structCodec, options) : undefined,
    makeDefault: nullDefault ? () => null : () => plan.makeDefault(),
    writeDefault: nullDefault ? null : Object.freeze(plan.makeDefault()),
    isDefault: nullDefault
      ? (v) => v === null
      : (v) => v !== null && typeof v === 'object' && plan.isDefault(v as Record<string, unknown>),
  };
}

function compileStruct(name: string, defs: readonly FieldDefinition[], ctx: CompileContext): StructPlan {
  const fields = defs.map((f) => compileField(f, ctx, name));
  const tagged = fields.filter((f) => f.mode === FieldMode.TAGGED).sort((a, b) => a.tag - b.tag);
  const byTag = new Map<number, FieldPlan>();
  for (const f of tagged) {
    if (byTag.has(f.tag)) throw new ProtocolSchemaError(`${name}: duplicate tag ${f.tag} in version ${ctx.version}`);
    byTag.set(f.tag, f);
  }
  const { flexible, version } = ctx;
  let minSize = flexible ? 1 : 0;
  for (const f of fields) if (f.mode === FieldMode.POSITIONAL) minSize += f.codec!.minSize;
  const count = fields.length;

  function readTaggedFields(r: ByteReader, o: Record<string, unknown>): void {
    const n = r.readUnsignedVarint();
    for (let i = 0; i < n; i++) {
      const tag = r.readUnsignedVarint();
      const size = r.readUnsignedVarint();
      const f = byTag.get(tag);
      if (f === undefined) {
        const data = r.readSlice(size, 'tagged field');
        const unknown = (o._unknownTaggedFields ??= []) as RawTaggedField[];
        unknown.push({ tag, data });
        continue;
      }
      const sub = r.subReader(size);
      o[f.key] = f.codec!.read(sub);
      if (sub.remaining !== 0) {
        throw new ProtocolDecodeError(`${name}.${f.name}: tagged field of ${size} bytes has ${sub.remaining} unread`, {
          offset: sub.offset,
        });
      }
    }
  }

  function writeTaggedFields(w: ByteWriter, value: Record<string, unknown>): void {
    let known: FieldPlan[] | undefined;
    for (const f of tagged) {
      const v = value[f.key];
      if (v !== undefined && !f.isDefault(v)) (known ??= []).push(f);
    }
    const unknown = value._unknownTaggedFields as readonly RawTaggedField[] | undefined;
    const total = (known?.length ?? 0) + (unknown?.length ?? 0);
    w.writeUnsignedVarint(total);
    if (total === 0) return;
    // Known fields are already in tag order; merge the unknown ones (kept as received) into that order.
    const unknownSorted = unknown === undefined ? [] : [...unknown].sort((a, b) => a.tag - b.tag);
    const knownList = known ?? [];
    let k = 0;
    let u = 0;
    while (k < knownList.length || u < unknownSorted.length) {
      if (u >= unknownSorted.length || (k < knownList.length && knownList[k]!.tag <= unknownSorted[u]!.tag)) {
        const f = knownList[k++]!;
        // The size precedes the value, so the value is encoded aside first (tagged fields are rare and small).
        const scratch = new ByteWriter({ initialCapacity: 64 });
        f.codec!.write(scratch, value[f.key]);
        const bytes = scratch.toBuffer();
        w.writeUnsignedVarint(f.tag);
        w.writeUnsignedVarint(bytes.length);
        w.writeRaw(bytes);
      } else {
        const raw = unknownSorted[u++]!;
        w.writeUnsignedVarint(raw.tag);
        w.writeUnsignedVarint(raw.data.length);
        w.writeRaw(raw.data);
      }
    }
  }

  const plan: StructPlan = {
    name,
    version,
    flexible,
    fields,
    tagged,
    minSize,
    decode(r) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const f = fields[i]!;
        o[f.key] = f.mode === FieldMode.POSITIONAL ? f.codec!.read(r) : f.makeDefault();
      }
      if (flexible) readTaggedFields(r, o);
      return o;
    },
    encode(w, value) {
      if (value === null || typeof value !== 'object') {
        throw new ProtocolEncodeError(`${name} v${version}: expected an object, got ${value === null ? 'null' : typeof value}`);
      }
      for (let i = 0; i < count; i++) {
        const f = fields[i]!;
        const v = value[f.key];
        if (f.mode === FieldMode.POSITIONAL) {
          try {
            f.codec!.write(w, v === undefined ? f.writeDefault : v);
          } catch (err) {
            if (err instanceof ProtocolError) throw err;
            throw new ProtocolEncodeError(`Cannot encode ${name}.${f.name} at version ${version}: ${(err as Error).message}`, {
              cause: err,
            });
          }
        } else if (f.mode === FieldMode.ABSENT && v !== undefined && !f.ignorable && !f.isDefault(v)) {
          throw new ProtocolEncodeError(`Attempted to write a non-default ${name}.${f.name} at version ${version}`);
        }
      }
      if (flexible) writeTaggedFields(w, value);
    },
    makeDefault() {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) o[fields[i]!.key] = fields[i]!.makeDefault();
      return o;
    },
    isDefault(value) {
      if (value._unknownTaggedFields !== undefined && (value._unknownTaggedFields as unknown[]).length > 0) return false;
      for (let i = 0; i < count; i++) {
        const f = fields[i]!;
        const v = value[f.key];
        if (v !== undefined && !f.isDefault(v)) return false;
      }
      return true;
    },
  };
  return plan;
}

const planCache = new WeakMap<MessageDefinition, (StructPlan | undefined)[]>();

/**
 * The compiled plan of `message` at `version` (compiled on first use, then cached).
 * Throws ProtocolSchemaError if the version is outside the message's validVersions.
 */
export function messagePlan(message: MessageDefinition, version: number): StructPlan {
  let byVersion = planCache.get(message);
  if (byVersion === undefined) {
    byVersion = [];
    planCache.set(message, byVersion);
  }
  let plan = byVersion[version];
  if (plan === undefined) {
    if (!Number.isInteger(version) || !rangeContains(parseVersionRange(message.validVersions), version)) {
      throw new ProtocolSchemaError(`${message.name} has no version ${version} (valid: ${message.validVersions})`);
    }
    const ctx: CompileContext = {
      message,
      version,
      flexible: rangeContains(parseVersionRange(message.flexibleVersions), version),
      structs: new Map(),
    };
    plan = compileStruct(message.name, message.fields, ctx);
    byVersion[version] = plan;
  }
  return plan;
}

/** A new object holding the defaults of every field of `message` (the same for all versions). */
export function messageDefaults(message: MessageDefinition): Record<string, unknown> {
  const validVersions = parseVersionRange(message.validVersions);
  return messagePlan(message, validVersions.min).makeDefault();
}
