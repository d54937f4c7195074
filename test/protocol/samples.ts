// Builds representative message objects straight from the definitions, for round-trip tests.
//
// The "full" variant gives every field present in the version a non-default value (tagged fields
// included) and attaches unknown tagged fields in flexible versions; the "empty" variant uses null
// wherever the version allows it, empty arrays and zero values. Fields the version lacks hold their
// defaults, computed here independently of the interpreter so the tests check its defaults too.

import type { FieldDefinition, MessageDefinition } from '../../src/protocol/definition';
import { fieldKey } from '../../src/protocol/definition';
import { versionsContain } from '../../src/protocol/versions';

export type Variant = 'full' | 'empty';

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'string', 'bytes', 'records', 'uuid']);
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface Ctx {
  readonly message: MessageDefinition;
  readonly version: number;
  readonly flexible: boolean;
  readonly variant: Variant;
  seed: number;
}

function structFields(f: FieldDefinition, typeName: string, message: MessageDefinition): readonly FieldDefinition[] {
  const fields = f.fields ?? message.commonStructs?.[typeName]?.fields;
  if (fields === undefined) throw new Error(`unknown struct ${typeName}`);
  return fields;
}

/** The default value of a field, as Kafka's generated classes define it. */
export function defaultOf(f: FieldDefinition, message: MessageDefinition): unknown {
  if (f.type.startsWith('[]')) return f.default === null ? null : [];
  switch (f.type) {
    case 'bool':
      return f.default ?? false;
    case 'string':
      return f.default === undefined ? '' : f.default;
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return f.default === null ? null : Buffer.alloc(0);
    case 'records':
      return null;
    default:
      if (PRIMITIVES.has(f.type)) return f.default ?? 0;
      if (f.default === null) return null;
      return Object.fromEntries(structFields(f, f.type, message).map((s) => [fieldKey(s.name), defaultOf(s, message)]));
  }
}

function uuidFor(seed: number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) b[i] = (seed * 31 + i * 17 + 1) & 0xff;
  return b.toString('base64url');
}

function primitiveValue(type: string, f: FieldDefinition, ctx: Ctx): unknown {
  const s = ++ctx.seed;
  const empty = ctx.variant === 'empty';
  switch (type) {
    case 'bool':
      return empty ? false : f.default !== true;
    case 'int8':
      return empty ? 0 : 2 + (s % 100);
    case 'int16':
      return empty ? -32768 : 1000 + s;
    case 'int32':
      return empty ? -2147483648 : 100_000 + s;
    case 'int64':
      return empty ? -(2 ** 53) + 1 : 2 ** 40 + s;
    case 'uint16':
      return empty ? 0 : 65_000 + (s % 500);
    case 'uint32':
      return empty ? 0 : 4_000_000_000 + s;
    case 'float64':
      return empty ? 0 : 1.5 + s;
    case 'string':
      return empty ? '' : `s${s}-é✓`;
    case 'uuid':
      return empty ? ZERO_UUID : uuidFor(s);
    case 'bytes':
      return empty ? Buffer.alloc(0) : Buffer.from([s & 0xff, 1, 2, 3]);
    case 'records':
      return empty ? Buffer.alloc(0) : Buffer.from(`records-${s}`.repeat(3));
    default:
      throw new Error(`not a primitive: ${type}`);
  }
}

function valueFor(f: FieldDefinition, ctx: Ctx): unknown {
  const { version, message } = ctx;
  if (!versionsContain(f.versions, version)) return defaultOf(f, message);
  const nullable = versionsContain(f.nullableVersions, version);
  if (ctx.variant === 'empty' && nullable) return null;
  if (f.type.startsWith('[]')) {
    const element = f.type.slice(2);
    if (ctx.variant === 'empty') return [];
    const make = (): unknown =>
      PRIMITIVES.has(element) ? primitiveValue(element, f, ctx) : structValue(structFields(f, element, message), ctx);
    return [make(), make()];
  }
  if (PRIMITIVES.has(f.type)) return primitiveValue(f.type, f, ctx);
  return structValue(structFields(f, f.type, message), ctx);
}

function structValue(fields: readonly FieldDefinition[], ctx: Ctx): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of fields) o[fieldKey(f.name)] = valueFor(f, ctx);
  if (ctx.flexible && ctx.variant === 'full') {
    // Tags far above any Kafka uses, so they are unknown to every definition.
    o._unknownTaggedFields = [
      { tag: 90 + (ctx.seed % 5), data: Buffer.from([1, 2, ctx.seed & 0xff]) },
      { tag: 200, data: Buffer.alloc(0) },
    ];
  }
  return o;
}

/** A sample object for `message` at `version`: what decode(encode(sample)) must give back. */
export function sampleMessage(message: MessageDefinition, version: number, variant: Variant): Record<string, unknown> {
  const ctx: Ctx = {
    message,
    version,
    flexible: versionsContain(message.flexibleVersions, version),
    variant,
    seed: version * 1000,
  };
  return structValue(message.fields, ctx);
}
