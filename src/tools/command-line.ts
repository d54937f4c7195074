/**
 * Command-line parsing and help output for the tools, behaving like the jopt-simple parser that
 * Kafka's command-line tools use (CommandDefaultOptions + CommandLineUtils), so that options, error
 * messages and `--help` output read the same:
 *
 * - long options only, `--name value` or `--name=value`; a required argument is the next word even
 *   when it starts with `-`; an option given several times keeps every value (`--config a=1 --config b=2`);
 *   unambiguous prefixes are accepted (`--bootstrap` for `--bootstrap-server`), as jopt-simple does;
 * - errors with jopt-simple's texts: `foo is not a recognized option`, `Option topic requires an
 *   argument`, `Cannot parse argument 'x' of option partitions`;
 * - help as jopt-simple's BuiltinHelpFormatter prints it: an 80-column, two-column table (`Option` /
 *   `Description`), options sorted by name, `<Type: describedAs>` for arguments, `(default: x)`, words
 *   wrapped with a two-space indent on continuation lines.
 *
 * jopt-simple itself is a Java library; the subset Kafka's tools rely on is small, so it is reproduced
 * here rather than approximated with a parser whose messages and help layout differ.
 */

/** Value types of option arguments, named as jopt-simple prints them. */
export type ArgType = 'String' | 'Integer' | 'Long' | 'Double';

/** Declaration of one option. */
export interface OptionSpec {
  name: string;
  description: string;
  /** Absent for flags. `optional` arguments may be omitted (`--compression-codec` alone). */
  arg?: {
    required: boolean;
    describedAs?: string;
    type?: ArgType;
    defaultValue?: string;
  };
}

/** A command-line error, printed by the tools the way Kafka prints jopt-simple's OptionException. */
export class OptionException extends Error {
  override readonly name = 'OptionException';
}

/** Declares options and parses argument vectors against them. */
export class OptionParser {
  private readonly specs = new Map<string, OptionSpec>();

  /** Declares a flag (an option without argument). Returns the name, for readability at call sites. */
  flag(name: string, description: string): string {
    this.specs.set(name, { name, description });
    return name;
  }

  /** Declares an option that takes a required argument. */
  withRequiredArg(
    name: string,
    description: string,
    options?: { describedAs?: string; type?: ArgType; defaultValue?: string },
  ): string {
    this.specs.set(name, { name, description, arg: { required: true, ...options } });
    return name;
  }

  /** Declares an option whose argument may be omitted. */
  withOptionalArg(name: string, description: string, options?: { describedAs?: string; type?: ArgType }): string {
    this.specs.set(name, { name, description, arg: { required: false, ...options } });
    return name;
  }

  /** The declared options. */
  get options(): readonly OptionSpec[] {
    return [...this.specs.values()];
  }

  /** Parses `args`; throws OptionException with jopt-simple's messages. */
  parse(args: readonly string[]): ParsedOptions {
    const values = new Map<string, string[]>();
    const nonOptions: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--') {
        nonOptions.push(...args.slice(i + 1));
        break;
      }
      if (!arg.startsWith('-') || arg === '-') {
        nonOptions.push(arg);
        continue;
      }
      const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
      const eq = body.indexOf('=');
      const given = eq >= 0 ? body.slice(0, eq) : body;
      const spec = this.resolve(given);
      const list = values.get(spec.name) ?? [];
      values.set(spec.name, list);
      if (!spec.arg) {
        if (eq >= 0) throw new OptionException(`Option ${spec.name} does not take an argument`);
        continue;
      }
      let value: string | undefined;
      if (eq >= 0) {
        value = body.slice(eq + 1);
      } else if (spec.arg.required) {
        if (i + 1 >= args.length) throw new OptionException(`Option ${spec.name} requires an argument`);
        value = args[++i]!;
      } else if (i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
        value = args[++i]!;
      }
      if (value !== undefined) {
        checkType(spec, value);
        list.push(value);
      }
    }
    return new ParsedOptions(this.specs, values, nonOptions);
  }

  /** jopt-simple's help table for the declared options. */
  formatHelp(): string {
    const rows: [string, string][] = [];
    const sorted = [...this.specs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const spec of sorted) {
      let option = `--${spec.name}`;
      if (spec.arg) {
        const type = spec.arg.type ?? 'String';
        const inner = spec.arg.describedAs ? `${type}: ${spec.arg.describedAs}` : type;
        option += spec.arg.required ? ` <${inner}>` : ` [${inner}]`;
      }
      let description = spec.description;
      if (spec.arg?.defaultValue !== undefined) description += ` (default: ${spec.arg.defaultValue})`;
      rows.push([option, description]);
    }
    const lines: string[] = [];
    lines.push(pad('Option', OPTION_COLUMN) + SEPARATOR + pad('Description', DESCRIPTION_COLUMN));
    lines.push(pad('------', OPTION_COLUMN) + SEPARATOR + pad('-----------', DESCRIPTION_COLUMN));
    for (const [option, description] of rows) {
      const left = wrap(option, OPTION_COLUMN);
      const right = wrap(description, DESCRIPTION_TEXT_WIDTH);
      const height = Math.max(left.length, right.length);
      for (let i = 0; i < height; i++) {
        lines.push(pad(left[i] ?? '', OPTION_COLUMN) + SEPARATOR + pad(right[i] ?? '', DESCRIPTION_COLUMN));
      }
    }
    return lines.join('\n') + '\n';
  }

  private resolve(given: string): OptionSpec {
    const exact = this.specs.get(given);
    if (exact) return exact;
    if (given.length > 0) {
      const matches = [...this.specs.keys()].filter((name) => name.startsWith(given));
      if (matches.length === 1) return this.specs.get(matches[0]!)!;
    }
    throw new OptionException(`${given} is not a recognized option`);
  }
}

function checkType(spec: OptionSpec, value: string): void {
  const type = spec.arg?.type ?? 'String';
  if (type === 'String') return;
  const ok =
    type === 'Double'
      ? /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())
      : /^[+-]?\d+$/.test(value) && withinRange(type, BigInt(value));
  if (!ok) throw new OptionException(`Cannot parse argument '${value}' of option ${spec.name}`);
}

function withinRange(type: ArgType, n: bigint): boolean {
  if (type === 'Integer') return n >= -(2n ** 31n) && n < 2n ** 31n;
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** The result of OptionParser.parse. */
export class ParsedOptions {
  constructor(
    private readonly specs: ReadonlyMap<string, OptionSpec>,
    private readonly values: ReadonlyMap<string, string[]>,
    /** Words that are not options or their arguments. */
    readonly nonOptionArguments: readonly string[],
  ) {}

  /** True if the option was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The option's (first) value, else its default, else undefined. */
  valueOf(name: string): string | undefined {
    const list = this.values.get(name);
    if (list && list.length > 0) return list[0];
    return this.specs.get(name)?.arg?.defaultValue;
  }

  /** Every value given for the option (its default when not given). */
  valuesOf(name: string): string[] {
    const list = this.values.get(name);
    if (list && list.length > 0) return [...list];
    const def = this.specs.get(name)?.arg?.defaultValue;
    return def === undefined ? [] : [def];
  }

  /** The option's value as a number (Integer/Long options; validated at parse time). */
  numberOf(name: string): number | undefined {
    const value = this.valueOf(name);
    return value === undefined ? undefined : Number(value);
  }

  /** Names of the options given, in declaration order. */
  get given(): string[] {
    return [...this.values.keys()];
  }
}

// BuiltinHelpFormatter(80, 2): two columns of (80 - 2) / 2 characters and a two-space separator. The
// description column's text wraps one character short of its width, as jopt-simple's output shows
// ("Log lifecycle events of the consumer" / "in addition to ...").
const OPTION_COLUMN = 39;
const DESCRIPTION_COLUMN = 39;
const DESCRIPTION_TEXT_WIDTH = 38;
const SEPARATOR = '  ';
const CONTINUATION_INDENT = '  ';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * Wraps `text` into lines of at most `width` characters: paragraphs split at newlines, words broken at
 * spaces and after hyphens, continuation lines indented by two spaces (the indent counts in the width).
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const paragraphs = text.split('\n');
  for (let p = 0; p < paragraphs.length; p++) {
    const words = splitWords(paragraphs[p]!);
    let line = p === 0 ? '' : CONTINUATION_INDENT;
    let lineHasWord = false;
    const flush = () => {
      out.push(line.trimEnd());
      line = CONTINUATION_INDENT;
      lineHasWord = false;
    };
    for (const { word, space } of words) {
      if (lineHasWord && (line + word).trimEnd().length > width) flush();
      let rest = word;
      while ((line + rest).trimEnd().length > width) {
        const room = Math.max(1, width - line.length);
        line += rest.slice(0, room);
        rest = rest.slice(room);
        flush();
      }
      line += rest + space;
      // Leading spaces of a paragraph indent it; they are not a word to break after.
      if (rest !== '') lineHasWord = true;
    }
    if (lineHasWord || p === 0 || paragraphs[p] === '') out.push(line.trimEnd());
  }
  return out;
}

/**
 * Splits a line into break units (a word and the spaces after it). Besides spaces, a line may break
 * after a hyphen, colon or comma inside a word and before an opening parenthesis, as Java's line
 * BreakIterator does ("--bootstrap-" / "server", "HOST2:" / "PORT2.", "server" / "(s)").
 */
function splitWords(line: string): { word: string; space: string }[] {
  const units: { word: string; space: string }[] = [];
  let i = 0;
  while (i < line.length) {
    let j = i;
    while (j < line.length && line[j] !== ' ') {
      const c = line[j]!;
      const next = line[j + 1];
      const hasBefore = j > i && /[^\s-]/.test(line.slice(i, j));
      if ((c === '-' || c === ':' || c === ',') && hasBefore && next !== undefined && /[^\s\-:,]/.test(next)) {
        j++;
        break;
      }
      if (next === '(' && c !== ' ') {
        j++;
        break;
      }
      j++;
    }
    let k = j;
    while (k < line.length && line[k] === ' ') k++;
    units.push({ word: line.slice(i, j), space: line.slice(j, k) });
    i = k;
  }
  return units;
}
