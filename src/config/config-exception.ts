/**
 * ConfigException: Kafka's error for an invalid or missing configuration value.
 *
 * It is an InvalidConfigurationError (Kafka error code 40, INVALID_CONFIG), so a handler that validates
 * configs from a request (CreateTopics, AlterConfigs, IncrementalAlterConfigs) can answer with the
 * error code and this message unchanged. Messages follow Kafka's ConfigException wording, e.g.
 * `Invalid value abc for configuration num.partitions: Not a number of type INT`.
 */
import { InvalidConfigurationError } from '../common/kafka-error';

/** Options of a ConfigException. */
export interface ConfigExceptionOptions {
  /** The Kafka property name at fault, when there is one. */
  configName?: string;
  /** The offending value as supplied (a string from a properties file or request). */
  value?: unknown;
  cause?: unknown;
}

/** An invalid, unknown or missing configuration. */
export class ConfigException extends InvalidConfigurationError {
  override readonly name: string = 'ConfigException';
  /** The Kafka property name at fault, if known. */
  readonly configName: string | undefined;
  /** The offending value, if known. */
  readonly value: unknown;

  constructor(message: string, options: ConfigExceptionOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.configName = options.configName;
    this.value = options.value;
  }

  /**
   * Kafka's `ConfigException(name, value, message)`:
   * `Invalid value <value> for configuration <name>[: <reason>]`.
   */
  static invalidValue(configName: string, value: unknown, options: { reason?: string; cause?: unknown } = {}): ConfigException {
    const shown = typeof value === 'string' ? value : String(value);
    const reason = options.reason === undefined ? '' : `: ${options.reason}`;
    return new ConfigException(`Invalid value ${shown} for configuration ${configName}${reason}`, {
      configName,
      value,
      cause: options.cause,
    });
  }
}
