/**
 * The broker side of controlled shutdown (Kafka's KafkaServer.controlledShutdown): before stopping, ask the
 * active controller to move leadership off this broker, retrying controlled.shutdown.max.retries times with
 * controlled.shutdown.retry.backoff.ms between attempts until no partition is left on it. When every attempt
 * fails the broker goes on with an unclean shutdown, as Kafka does.
 */
import { ApiKeys, ErrorCode } from '../protocol';
import { BrokerConnection } from '../client/broker-connection';
import type { MetadataCache } from '../metadata/metadata-cache';
import type { KafkaZkClient } from '../zk/kafka-zk-client';

export interface ControlledShutdownOptions {
  brokerId: number;
  brokerEpoch: () => number;
  maxRetries: number;
  retryBackoffMs: number;
  requestTimeoutMs: number;
  interBrokerListenerName: string;
  metadataCache: MetadataCache;
  zkClient: KafkaZkClient;
  logger: { info(msg: string): void; warn(msg: string): void };
}

/** Returns true when the controller confirmed that this broker leads nothing any more. */
export async function controlledShutdown(opts: ControlledShutdownOptions): Promise<boolean> {
  const log = opts.logger;
  log.info('Starting controlled shutdown');
  const started = Date.now();
  for (let attempt = 1; attempt <= Math.max(1, opts.maxRetries); attempt++) {
    let conn: BrokerConnection | undefined;
    try {
      const controllerId = (await opts.zkClient.getControllerId()) ?? -1;
      const endpoint = await controllerEndpoint(opts, controllerId);
      if (!endpoint) throw new Error(`the controller (id ${controllerId}) is not available`);
      conn = new BrokerConnection({
        host: endpoint.host,
        port: endpoint.port,
        nodeId: controllerId,
        clientId: `broker-${opts.brokerId}-controlled-shutdown`,
        requestTimeoutMs: opts.requestTimeoutMs,
      });
      await conn.connect();
      await conn.negotiateApiVersions();
      const version = conn.pickVersion(ApiKeys.ControlledShutdown, 0, 3);
      const response = await conn.request(ApiKeys.ControlledShutdown, version, {
        brokerId: opts.brokerId,
        brokerEpoch: opts.brokerEpoch(),
      });
      if (response.errorCode === ErrorCode.NONE && response.remainingPartitions.length === 0) {
        log.info(`Controlled shutdown request returned successfully after ${Date.now() - started}ms`);
        return true;
      }
      log.info(
        response.errorCode === ErrorCode.NONE
          ? `Remaining partitions to move: ${response.remainingPartitions.map((p) => `${p.topicName}-${p.partitionIndex}`).join(',')}`
          : `Controlled shutdown request failed with error code ${response.errorCode}`,
      );
    } catch (err) {
      log.warn(`Error during controlled shutdown, possibly because leader movement took longer than the configured ` +
        `controller.socket.timeout.ms and/or request.timeout.ms: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      conn?.close();
    }
    if (attempt < opts.maxRetries) {
      log.warn('Retrying controlled shutdown after the previous attempt failed...');
      await new Promise((r) => setTimeout(r, opts.retryBackoffMs));
    }
  }
  log.warn('Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed');
  return false;
}

async function controllerEndpoint(
  opts: ControlledShutdownOptions,
  controllerId: number,
): Promise<{ host: string; port: number } | undefined> {
  if (controllerId < 0) return undefined;
  const cached = opts.metadataCache.endPoint(controllerId, opts.interBrokerListenerName);
  if (cached) return cached;
  const broker = await opts.zkClient.getBroker(controllerId);
  const ep = broker?.endpoints.find((e) => e.listenerName === opts.interBrokerListenerName);
  return ep && ep.host !== null ? { host: ep.host, port: ep.port } : undefined;
}
