/**
 * Helpers shared by the handlers of the controller's requests (LeaderAndIsr, UpdateMetadata, StopReplica).
 *
 * Besides Kafka's broker-epoch and controller-epoch fencing, these requests are checked against the
 * controller this broker knows from /controller (fenceUnknownController): Kafka 3.9 takes any epoch that is
 * not older than the last one seen, so a client that sends a controller request with a huge controller
 * epoch would fence the real controller off this broker for good (Kafka relies on the ClusterAction ACL
 * for that; ts-kafka has no authorizer).
 */
import type { BrokerServices } from '../broker-services';

/** How long a request naming another controller waits for this broker to process a pending /controller change. */
const CONTROLLER_CATCH_UP_MS = 5000;

/**
 * A controller request is stale when it names an epoch of this broker older than the current one: it was
 * meant for this broker's previous ZooKeeper session. -1 means the controller did not say (older versions).
 */
export function isBrokerEpochStale(requestBrokerEpoch: number, currentBrokerEpoch: number): boolean {
  return requestBrokerEpoch !== -1 && requestBrokerEpoch < currentBrokerEpoch;
}

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;

/** Kafka's SecurityProtocol ids: 0 PLAINTEXT, 1 SSL, 2 SASL_PLAINTEXT, 3 SASL_SSL. */
export function securityProtocolName(id: number): string {
  return SECURITY_PROTOCOLS[id] ?? `UNKNOWN(${id})`;
}

export function securityProtocolId(name: string): number {
  const i = SECURITY_PROTOCOLS.indexOf(name as (typeof SECURITY_PROTOCOLS)[number]);
  if (i < 0) throw new Error(`Unknown security protocol ${name}`);
  return i;
}

/**
 * Why a controller request must be refused as not coming from the active controller, or null to serve it.
 *
 * - It must name the controller this broker read from /controller. A newly elected controller's first
 *   request may race this broker's /controller watch, so on a mismatch the controller event queue is given
 *   one turn (it processes the pending ControllerChange) before the request is refused.
 * - When it names this broker, the epoch must be this broker's own controller epoch: it is the only sender.
 * While this broker knows no controller (startup, session loss) nothing more than Kafka's checks applies.
 */
export async function fenceUnknownController(
  broker: BrokerServices,
  request: { controllerId: number; controllerEpoch: number },
): Promise<string | null> {
  const controller = broker.controller();
  if (controller === undefined) return null;
  if (controller.activeControllerId !== request.controllerId && controller.activeControllerId !== -1) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      controller.runOnEventLoop('ControllerRequestCheck', () => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, CONTROLLER_CATCH_UP_MS))),
    ]);
    clearTimeout(timer);
  }
  const active = controller.activeControllerId;
  if (active === -1) return null;
  if (active !== request.controllerId) {
    return `it names controller ${request.controllerId} but the active controller is ${active}`;
  }
  if (active === broker.brokerId && controller.isActive && request.controllerEpoch !== controller.epoch) {
    return `it names this broker's controller with epoch ${request.controllerEpoch}, but its epoch is ${controller.epoch}`;
  }
  return null;
}
