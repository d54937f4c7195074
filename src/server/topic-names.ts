/**
 * Topic name rules (Kafka's org.apache.kafka.common.internals.Topic): at most 249 characters of
 * [a-zA-Z0-9._-], not "." or "..". Names that differ only by '.' versus '_' collide in metric names, so
 * creating one when the other exists is refused.
 */

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Returns why the name is invalid, or null when it is valid (Kafka's messages). */
export function validateTopicName(name: string): string | null {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`;
  }
  if (!LEGAL.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

/** Kafka's collision key: '.' replaced by '_'. */
export function unifyCollisionChars(name: string): string {
  return name.replace(/\./g, '_');
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('_') || name.includes('.');
}
