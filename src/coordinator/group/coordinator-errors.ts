/**
 * Internal errors of the group coordinator. Kafka errors for clients are response data (error codes);
 * these classes mark programming faults and corrupt stored state, the cases where Kafka's coordinator
 * throws IllegalStateException.
 */

/** An illegal group state transition or a group found in a state the code does not expect. */
export class GroupStateError extends Error {
  override readonly name = 'GroupStateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A `__consumer_offsets` record that cannot be decoded (unknown value version, truncated payload). */
export class GroupRecordError extends Error {
  override readonly name = 'GroupRecordError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
