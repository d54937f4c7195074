/**
 * Loggers of the controller, named as Kafka names them so that conf/log4j.properties routes them the same way:
 * `kafka.controller.*` (controller.log) with the ident `Controller id=N`, and `state.change.logger`
 * (state-change.log) with the ident `Controller id=N epoch=E` (Kafka's StateChangeLogger.withControllerEpoch).
 */
import type { Logger, Logging } from '../common/logger';

export type ControllerLogger = Logger;
export type ControllerLogging = Logging;

/** Kafka's state.change.logger, bound to this controller and, per call site, to its current epoch. */
export class StateChangeLogger {
  private cachedEpoch = Number.NaN;
  private cached: Logger | undefined;

  constructor(private readonly logging: Logging, private readonly controllerId: number) {}

  /** The logger whose lines read `[Controller id=0 epoch=3] ...`. */
  withControllerEpoch(epoch: number): Logger {
    if (this.cached === undefined || this.cachedEpoch !== epoch) {
      this.cached = this.logging.logger('state.change.logger', `Controller id=${this.controllerId} epoch=${epoch}`);
      this.cachedEpoch = epoch;
    }
    return this.cached;
  }
}
