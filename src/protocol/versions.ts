// Version ranges as written in Kafka's message definitions: "3+", "0-12", "5" or "none".
//
// Ranges are parsed once when a schema plan is compiled; the hot paths only compare numbers.

import { ProtocolSchemaError } from './protocol-errors';

/** An inclusive range of message versions; `max` is Infinity for open ranges ("3+"). */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** The empty range ("none"): contains no version. */
export const NO_VERSIONS: VersionRange = Object.freeze({ min: 0, max: -1 });

const RANGE_PATTERN = /^(\d+)(?:(\+)|-(\d+))?$/;

/** Parses "3+", "0-12", "5" or "none" into a VersionRange; throws ProtocolSchemaError otherwise. */
export function parseVersionRange(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS;
  const m = RANGE_PATTERN.exec(text);
  if (m === null) throw new ProtocolSchemaError(`Invalid version range "${text}"`);
  const min = Number(m[1]);
  const max = m[2] === '+' ? Infinity : m[3] === undefined ? min : Number(m[3]);
  if (max < min) throw new ProtocolSchemaError(`Invalid version range "${text}": max below min`);
  return { min, max };
}

/** True if `version` lies in the range. */
export function rangeContains(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}

/** True if the range text (or undefined, meaning "none") contains the version. */
export function versionsContain(text: string | undefined, version: number): boolean {
  return text !== undefined && rangeContains(parseVersionRange(text), version);
}
