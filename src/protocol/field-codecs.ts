// Readers and writers for one field type in one encoding (classic or compact), built once per plan.
//
// Each codec is a pair of closures chosen when a (message, version) plan is compiled, so the hot path never
// branches on the type name. Nullability is decided per version: a null where the version forbids it is a
// ProtocolDecodeError when reading (Kafka: "non-nullable field was serialized as null") and a
// ProtocolEncodeError when writing. `records` decode to zero-copy subarrays and encode from a Buffer or a
// list of Buffers emitted as separate output chunks (see writer.ts).

import type { PrimitiveType } from './definition';
import { ProtocolDecodeError, ProtocolEncodeError } from './protocol-errors';
import type { ByteReader } from './reader';
import type { ByteWriter } from './writer';

/** How to read and write one value, and the fewest bytes an encoded value can take. */
export interface FieldCodec {
  readonly read: (r: ByteReader) => unknown;
  readonly write: (w: ByteWriter, v: unknown) => void;
  readonly minSize: number;
}

/** Options that select a codec variant. */
export interface CodecOptions {
  /** Compact (KIP-482) encoding of lengths. */
  readonly flexible: boolean;
  /** Null is legal in this version. */
  readonly nullable: boolean;
  /** For error messages: "MetadataRequest.Topics". */
  readonly path: string;
}

function nullNotAllowed(path: string, r: ByteReader): never {
  throw new ProtocolDecodeError(`Non-nullable field ${path} was serialized as null`, { offset: r.offset });
}

function checkNotNull(v: unknown, path: string): void {
  if (v === null) throw new ProtocolEncodeError(`Non-nullable field ${path} cannot be null in this version`);
}

function checkNumber(v: unknown, path: string): number {
  if (typeof v !== 'number') throw new ProtocolEncodeError(`Field ${path} expects a number, got ${typeof v}`);
  return v;
}

function checkString(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new ProtocolEncodeError(`Field ${path} expects a string, got ${typeof v}`);
  return v;
}

function checkBuffer(v: unknown, path: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new ProtocolEncodeError(`Field ${path} expects a Buffer`);
  return v;
}

const FIXED: Readonly<Record<string, FieldCodec>> = {
  bool: {
    read: (r) => r.readBoolean(),
    write: (w, v) => w.writeBoolean(v as boolean),
    minSize: 1,
  },
  int8: { read: (r) => r.readInt8(), write: (w, v) => w.writeInt8(v as number), minSize: 1 },
  int16: { read: (r) => r.readInt16(), write: (w, v) => w.writeInt16(v as number), minSize: 2 },
  int32: { read: (r) => r.readInt32(), write: (w, v) => w.writeInt32(v as number), minSize: 4 },
  int64: { read: (r) => r.readInt64(), write: (w, v) => w.writeInt64(v as number), minSize: 8 },
  uint16: { read: (r) => r.readUInt16(), write: (w, v) => w.writeUInt16(v as number), minSize: 2 },
  uint32: { read: (r) => r.readUInt32(), write: (w, v) => w.writeUInt32(v as number), minSize: 4 },
  float64: { read: (r) => r.readFloat64(), write: (w, v) => w.writeFloat64(v as number), minSize: 8 },
  uuid: { read: (r) => r.readUuid(), write: (w, v) => w.writeUuid(v as string), minSize: 16 },
};

function checkedCodec(type: string, base: FieldCodec, path: string): FieldCodec {
  if (type === 'uuid') return { read: base.read, write: (w, v) => base.write(w, checkString(v, path)), minSize: 16 };
  if (type === 'bool') {
    return {
      read: base.read,
      write: (w, v) => {
        if (typeof v !== 'boolean') throw new ProtocolEncodeError(`Field ${path} expects a boolean, got ${typeof v}`);
        base.write(w, v);
      },
      minSize: 1,
    };
  }
  return { read: base.read, write: (w, v) => base.write(w, checkNumber(v, path)), minSize: base.minSize };
}

function stringCodec(o: CodecOptions): FieldCodec {
  const { path, nullable } = o;
  if (o.flexible) {
    return {
      read: (r) => {
        const s = r.readCompactString();
        return s === null && !nullable ? nullNotAllowed(path, r) : s;
      },
      write: (w, v) => {
        if (v === null && !nullable) checkNotNull(v, path);
        w.writeCompactString(v === null ? null : checkString(v, path));
      },
      minSize: 1,
    };
  }
  return {
    read: (r) => {
      const s = r.readString();
      return s === null && !nullable ? nullNotAllowed(path, r) : s;
    },
    write: (w, v) => {
      if (v === null && !nullable) checkNotNull(v, path);
      w.writeString(v === null ? null : checkString(v, path));
    },
    minSize: 2,
  };
}

function bytesCodec(o: CodecOptions): FieldCodec {
  const { path, nullable } = o;
  if (o.flexible) {
    return {
      read: (r) => {
        const b = r.readCompactBytes();
        return b === null && !nullable ? nullNotAllowed(path, r) : b;
      },
      write: (w, v) => {
        if (v === null && !nullable) checkNotNull(v, path);
        w.writeCompactBytes(v === null ? null : checkBuffer(v, path));
      },
      minSize: 1,
    };
  }
  return {
    read: (r) => {
      const b = r.readBytes();
      return b === null && !nullable ? nullNotAllowed(path, r) : b;
    },
    write: (w, v) => {
      if (v === null && !nullable) checkNotNull(v, path);
      w.writeBytes(v === null ? null : checkBuffer(v, path));
    },
    minSize: 4,
  };
}

/** Total length of a records value given as a Buffer or a list of Buffers. */
function recordsLength(v: unknown, path: string): number {
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) {
    let n = 0;
    for (const c of v) n += checkBuffer(c, path).length;
    return n;
  }
  throw new ProtocolEncodeError(`Field ${path} expects a Buffer, a list of Buffers or null`);
}

function writeRecordChunks(w: ByteWriter, v: unknown): void {
  if (Array.isArray(v)) for (const c of v as Buffer[]) w.writeChunk(c);
  else w.writeChunk(v as Buffer);
}

function recordsCodec(o: CodecOptions): FieldCodec {
  const { path, nullable } = o;
  if (o.flexible) {
    return {
      read: (r) => {
        const b = r.readCompactBytes();
        return b === null && !nullable ? nullNotAllowed(path, r) : b;
      },
      write: (w, v) => {
        if (v === null) {
          if (!nullable) checkNotNull(v, path);
          w.writeUInt8(0);
          return;
        }
        w.writeUnsignedVarint(recordsLength(v, path) + 1);
        writeRecordChunks(w, v);
      },
      minSize: 1,
    };
  }
  return {
    read: (r) => {
      const b = r.readBytes();
      return b === null && !nullable ? nullNotAllowed(path, r) : b;
    },
    write: (w, v) => {
      if (v === null) {
        if (!nullable) checkNotNull(v, path);
        w.writeInt32(-1);
        return;
      }
      w.writeInt32(recordsLength(v, path));
      writeRecordChunks(w, v);
    },
    minSize: 4,
  };
}

/** The codec of a primitive type for the given encoding options. */
export function primitiveCodec(type: PrimitiveType, options: CodecOptions): FieldCodec {
  switch (type) {
    case 'string':
      return stringCodec(options);
    case 'bytes':
      return bytesCodec(options);
    case 'records':
      return recordsCodec(options);
    default:
      return checkedCodec(type, FIXED[type]!, options.path);
  }
}

/** An array of elements read and written with `element`. */
export function arrayCodec(element: FieldCodec, options: CodecOptions): FieldCodec {
  const { path, nullable, flexible } = options;
  const readElement = element.read;
  const writeElement = element.write;
  const minElement = element.minSize;
  return {
    read: (r) => {
      const n = flexible ? r.readCompactArrayLength(minElement) : r.readArrayLength(minElement);
      if (n === -1) return nullable ? null : nullNotAllowed(path, r);
      const a = new Array<unknown>(n);
      for (let i = 0; i < n; i++) a[i] = readElement(r);
      return a;
    },
    write: (w, v) => {
      if (v === null) {
        if (!nullable) checkNotNull(v, path);
        if (flexible) w.writeUInt8(0);
        else w.writeInt32(-1);
        return;
      }
      if (!Array.isArray(v)) throw new ProtocolEncodeError(`Field ${path} expects an array`);
      if (flexible) w.writeUnsignedVarint(v.length + 1);
      else w.writeInt32(v.length);
      for (let i = 0; i < v.length; i++) writeElement(w, v[i]);
    },
    minSize: flexible ? 1 : 4,
  };
}

/** A struct field: inline when not nullable, else preceded by an int8 marker (-1 null, 1 present). */
export function structFieldCodec(struct: FieldCodec, options: CodecOptions): FieldCodec {
  if (!options.nullable) {
    const { path } = options;
    return {
      read: struct.read,
      write: (w, v) => {
        if (v === null) checkNotNull(v, path);
        struct.write(w, v);
      },
      minSize: struct.minSize,
    };
  }
  return {
    read: (r) => {
      const marker = r.readInt8();
      if (marker < 0) return null;
      return struct.read(r);
    },
    write: (w, v) => {
      if (v === null) {
        w.writeInt8(-1);
        return;
      }
      w.writeInt8(1);
      struct.write(w, v);
    },
    minSize: 1,
  };
}
