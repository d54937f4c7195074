/**
 * kafka-console-consumer's output format: Kafka's DefaultMessageFormatter, configured by `--property`
 * (print.timestamp, print.key, print.offset, print.partition, print.headers, print.value,
 * key.separator, line.separator, headers.separator, null.literal). Output is written as bytes, so keys
 * and values that are not UTF-8 come out unchanged, as Kafka's byte-array formatter writes them.
 */

import type { ConsumerRecord } from '../client/simple-consumer';

/** The two names under which Kafka's default formatter is known (3.9 and the pre-3.8 Scala class). */
export const DEFAULT_FORMATTER_CLASSES: readonly string[] = [
  'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
  'kafka.tools.DefaultMessageFormatter',
];

/** Kafka's DefaultMessageFormatter. */
export class DefaultMessageFormatter {
  private printTimestamp = false;
  private printKey = false;
  private printValue = true;
  private printPartition = false;
  private printOffset = false;
  private printHeaders = false;
  private keySeparator = Buffer.from('\t');
  private lineSeparator = Buffer.from('\n');
  private headersSeparator = Buffer.from(',');
  private nullLiteral = Buffer.from('null');

  /** Applies formatter properties (unknown ones are ignored, as Kafka does). */
  configure(configs: Readonly<Record<string, string>>): void {
    const bool = (k: string) => configs[k]!.trim().toLowerCase() === 'true';
    if (configs['print.timestamp'] !== undefined) this.printTimestamp = bool('print.timestamp');
    if (configs['print.key'] !== undefined) this.printKey = bool('print.key');
    if (configs['print.offset'] !== undefined) this.printOffset = bool('print.offset');
    if (configs['print.partition'] !== undefined) this.printPartition = bool('print.partition');
    if (configs['print.headers'] !== undefined) this.printHeaders = bool('print.headers');
    if (configs['print.value'] !== undefined) this.printValue = bool('print.value');
    if (configs['key.separator'] !== undefined) this.keySeparator = Buffer.from(configs['key.separator']);
    if (configs['line.separator'] !== undefined) this.lineSeparator = Buffer.from(configs['line.separator']);
    if (configs['headers.separator'] !== undefined) this.headersSeparator = Buffer.from(configs['headers.separator']);
    if (configs['null.literal'] !== undefined) this.nullLiteral = Buffer.from(configs['null.literal']);
  }

  /** The bytes DefaultMessageFormatter.writeTo prints for one record. */
  format(record: ConsumerRecord): Buffer {
    const parts: Buffer[] = [];
    const sep = (column: boolean) => parts.push(column ? this.keySeparator : this.lineSeparator);
    if (this.printTimestamp) {
      parts.push(Buffer.from(record.timestamp >= 0 ? `${record.timestampType}:${record.timestamp}` : 'NO_TIMESTAMP'));
      sep(this.printPartition || this.printOffset || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printPartition) {
      parts.push(Buffer.from(`Partition:${record.partition}`));
      sep(this.printOffset || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printOffset) {
      parts.push(Buffer.from(`Offset:${record.offset}`));
      sep(this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printHeaders) {
      if (record.headers.length === 0) {
        parts.push(Buffer.from('NO_HEADERS'));
      } else {
        record.headers.forEach((h, i) => {
          parts.push(Buffer.from(`${h.key}:`), h.value ?? this.nullLiteral);
          if (i < record.headers.length - 1) parts.push(this.headersSeparator);
        });
      }
      sep(this.printKey || this.printValue);
    }
    if (this.printKey) {
      parts.push(record.key ?? this.nullLiteral);
      sep(this.printValue);
    }
    if (this.printValue) {
      parts.push(record.value ?? this.nullLiteral);
      parts.push(this.lineSeparator);
    }
    return Buffer.concat(parts);
  }
}
