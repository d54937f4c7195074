/**
 * Java `.properties` parsing, with the semantics of java.util.Properties#load.
 *
 * Kafka reads server.properties (and every tool's config file) through Properties.load, so we follow
 * it exactly: `#`/`!` comment lines, `key=value`, `key: value` and `key value` separators, logical
 * lines continued by an odd number of trailing backslashes (leading whitespace of the continuation is
 * dropped), escapes `\t \n \r \f \uXXXX` and `\<any>` = `<any>` in keys and values (so keys may hold
 * escaped `=`, `:` or spaces), trailing whitespace kept in values, and the last duplicate key wins.
 * One deliberate difference: files are decoded as UTF-8 rather than ISO-8859-1, which is identical
 * for ASCII files and keeps non-ASCII paths readable.
 */
import { readFileSync } from 'node:fs';
import { ConfigException } from './config-exception';

const WHITESPACE = new Set([' ', '\t', '\f']);

/** Splits text into logical lines: continuations joined, blank and comment lines dropped. */
function logicalLines(text: string): string[] {
  const natural = text.split(/\r\n|\r|\n/);
  const result: string[] = [];
  let pending: string | null = null;
  for (const raw of natural) {
    let start = 0;
    while (start < raw.length && WHITESPACE.has(raw[start])) start++;
    const line = raw.slice(start);
    if (pending === null) {
      // Only the first natural line of a logical line can be blank or a comment.
      if (line.length === 0 || line[0] === '#' || line[0] === '!') continue;
    }
    let trailing = 0;
    for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) trailing++;
    const continues = trailing % 2 === 1;
    const content = continues ? line.slice(0, -1) : line;
    pending = (pending ?? '') + content;
    if (!continues) {
      result.push(pending);
      pending = null;
    }
  }
  // A backslash on the last line of the file continues into nothing; Java keeps what was read.
  if (pending !== null && pending.length > 0) result.push(pending);
  return result;
}

/** Resolves the backslash escapes of a key or value. */
function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= text.length) break;
    const e = text[i];
    switch (e) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = text.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ConfigException('Malformed \\uxxxx encoding.');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += e;
    }
  }
  return out;
}

/** Splits one logical line into its raw (still escaped) key and value. */
function splitKeyValue(line: string): [string, string] {
  let keyEnd = 0;
  let hasSeparator = false;
  let valueStart = line.length;
  let backslash = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (backslash) {
      backslash = false;
      continue;
    }
    if (c === '\\') {
      backslash = true;
      continue;
    }
    if (c === '=' || c === ':') {
      hasSeparator = true;
      valueStart = keyEnd + 1;
      break;
    }
    if (WHITESPACE.has(c)) {
      valueStart = keyEnd + 1;
      break;
    }
  }
  // After the key: whitespace, then at most one '=' or ':' (if the key ended on whitespace), then whitespace.
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (WHITESPACE.has(c)) {
      valueStart++;
    } else if (!hasSeparator && (c === '=' || c === ':')) {
      hasSeparator = true;
      valueStart++;
    } else {
      break;
    }
  }
  return [line.slice(0, keyEnd), line.slice(valueStart)];
}

/**
 * Parses the text of a `.properties` file into an ordered key → value record.
 * Throws ConfigException on a malformed `\uXXXX` escape, as Java throws IllegalArgumentException.
 */
export function parseProperties(text: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of logicalLines(text)) {
    const [rawKey, rawValue] = splitKeyValue(line);
    const key = unescape(rawKey);
    // Re-inserting moves nothing in a JS object, so delete first: "last wins" also for position.
    delete result[key];
    result[key] = unescape(rawValue);
  }
  return { ...result };
}

/** Reads and parses a `.properties` file (Kafka's Utils.loadProps). */
export function loadPropertiesFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigException(`Unable to read properties file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseProperties(text);
}
