/**
 * Random UUIDs in Kafka's text form: the 16 bytes of a version-4 UUID as URL-safe base64 without padding
 * (22 characters), as Kafka uses for cluster ids (CoreUtils.generateUuidAsBase64) and topic ids
 * (Uuid.randomUuid, which also never yields an id starting with '-', so it cannot be mistaken for a
 * command-line option).
 */
import { randomUUID } from 'node:crypto';

/** The all-zero id (Kafka's Uuid.ZERO_UUID), "AAAAAAAAAAAAAAAAAAAAAA". */
export const ZERO_UUID_BASE64 = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A random cluster id (may start with '-', as Kafka's). */
export function randomClusterId(): string {
  return uuidToBase64(randomUUID());
}

/** A random topic id (Kafka's Uuid.randomUuid: never starts with '-'). */
export function randomTopicId(): string {
  for (;;) {
    const id = uuidToBase64(randomUUID());
    if (!id.startsWith('-') && id !== ZERO_UUID_BASE64) return id;
  }
}

/** `xxxxxxxx-xxxx-...` → 22-char URL-safe base64. */
export function uuidToBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}
