/**
 * kafka-console-producer's input parsing: Kafka's LineMessageReader. Each line of stdin is one record;
 * with `parse.headers` and `parse.key` a line reads `h1:v1,h2:v2<TAB>key<TAB>value` (separators
 * configurable: headers.delimiter, headers.separator — a regular expression, as in Kafka —,
 * headers.key.separator, key.separator; `null.marker` turns a field into null; `ignore.error` makes a
 * line without separators a value-only record).
 */

import type { ProducerRecord } from '../client/producer';

/** Kafka's KafkaException raised by the reader (printed with its class name). */
export class LineReaderError extends Error {
  override readonly name = 'LineReaderError';
}

/** Kafka's LineMessageReader. */
export class LineMessageReader {
  private topic = '';
  private parseKey = false;
  private keySeparator = '\t';
  private parseHeaders = false;
  private headersDelimiter = '\t';
  private headersSeparator = ',';
  private headersKeySeparator = ':';
  private ignoreError = false;
  private nullMarker: string | undefined;
  private headersSeparatorPattern = /,/;
  private lineNumber = 0;

  /** Applies reader properties (`topic` plus the parse.* options); throws LineReaderError on conflicts. */
  configure(props: Readonly<Record<string, string>>): void {
    this.topic = props['topic'] ?? '';
    const bool = (k: string) => props[k]!.trim().toLowerCase() === 'true';
    if (props['parse.key'] !== undefined) this.parseKey = bool('parse.key');
    if (props['key.separator'] !== undefined) this.keySeparator = props['key.separator'];
    if (props['parse.headers'] !== undefined) this.parseHeaders = bool('parse.headers');
    if (props['headers.delimiter'] !== undefined) this.headersDelimiter = props['headers.delimiter'];
    if (props['headers.separator'] !== undefined) this.headersSeparator = props['headers.separator'];
    this.headersSeparatorPattern = new RegExp(this.headersSeparator);
    if (props['headers.key.separator'] !== undefined) this.headersKeySeparator = props['headers.key.separator'];
    if (props['ignore.error'] !== undefined) this.ignoreError = bool('ignore.error');
    if (this.headersDelimiter === this.headersSeparator) {
      throw new LineReaderError('headers.delimiter and headers.separator may not be equal');
    }
    if (this.headersDelimiter === this.headersKeySeparator) {
      throw new LineReaderError('headers.delimiter and headers.key.separator may not be equal');
    }
    if (this.headersSeparator === this.headersKeySeparator) {
      throw new LineReaderError('headers.separator and headers.key.separator may not be equal');
    }
    if (props['null.marker'] !== undefined) this.nullMarker = props['null.marker'];
    if (this.keySeparator === this.nullMarker) throw new LineReaderError('null.marker and key.separator may not be equal');
    if (this.headersSeparator === this.nullMarker) {
      throw new LineReaderError('null.marker and headers.separator may not be equal');
    }
    if (this.headersDelimiter === this.nullMarker) {
      throw new LineReaderError('null.marker and headers.delimiter may not be equal');
    }
    if (this.headersKeySeparator === this.nullMarker) {
      throw new LineReaderError('null.marker and headers.key.separator may not be equal');
    }
  }

  /** The record for the next line of input. Throws LineReaderError for a malformed line. */
  readRecord(line: string): ProducerRecord {
    this.lineNumber += 1;
    const headers = this.parse(this.parseHeaders, line, 0, this.headersDelimiter, 'headers delimiter');
    const headerOffset = headers === null ? 0 : headers.length + this.headersDelimiter.length;
    const key = this.parse(this.parseKey, line, headerOffset, this.keySeparator, 'key separator');
    const keyOffset = key === null ? 0 : key.length + this.keySeparator.length;
    const value = line.substring(headerOffset + keyOffset);
    const record: ProducerRecord = {
      topic: this.topic,
      key: key !== null && key !== this.nullMarker ? Buffer.from(key, 'utf8') : null,
      value: value !== this.nullMarker ? Buffer.from(value, 'utf8') : null,
    };
    if (headers !== null && headers !== this.nullMarker) record.headers = this.splitHeaders(headers);
    return record;
  }

  private parse(enabled: boolean, line: string, start: number, demarcation: string, name: string): string | null {
    if (!enabled) return null;
    const index = line.indexOf(demarcation, start);
    if (index === -1) {
      if (this.ignoreError) return null;
      throw new LineReaderError(`No ${name} found on line number ${this.lineNumber}: '${line}'`);
    }
    return line.substring(start, index);
  }

  private splitHeaders(headers: string): { key: string; value: Buffer | null }[] {
    // Java's Pattern.split drops trailing empty strings.
    const pairs = headers.split(this.headersSeparatorPattern);
    while (pairs.length > 1 && pairs[pairs.length - 1] === '') pairs.pop();
    return pairs.map((pair) => {
      const i = pair.indexOf(this.headersKeySeparator);
      if (i === -1) {
        if (this.ignoreError) return { key: pair, value: null };
        throw new LineReaderError(`No header key separator found in pair '${pair}' on line number ${this.lineNumber}`);
      }
      const headerKey = pair.substring(0, i);
      if (headerKey === this.nullMarker) {
        throw new LineReaderError(
          `Header keys should not be equal to the null marker '${this.nullMarker}' as they can't be null`,
        );
      }
      const value = pair.substring(i + this.headersKeySeparator.length);
      return { key: headerKey, value: value === this.nullMarker ? null : Buffer.from(value, 'utf8') };
    });
  }
}
