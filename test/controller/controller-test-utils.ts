/**
 * Helpers for the controller tests: a Logging that keeps every line in memory (so tests can assert what the
 * controller and the state-change logger wrote), a "node" = a KafkaController on its own ZooKeeper session with
 * its broker registered by that session and a FakeBroker listener behind its endpoint, and polling helpers.
 */
import type { Logger, Logging, LogMessage } from '../../src/common/logger';
import type { LogLevelName } from '../../src/config/log4j-config';
import { loadBrokerConfig } from '../../src/config/broker-config';
import { KafkaController } from '../../src/controller/kafka-controller';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ZkSession } from '../../src/zk/zk-session';
import type { BrokerInfo } from '../../src/zk/zk-types';
import { FakeBroker } from './fake-broker';

export type RecordLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LogRecord {
  level: RecordLevel;
  loggerName: string;
  ident: string | undefined;
  message: string;
  cause?: unknown;
}

/** A Logging that records everything (trace included) and prints nothing unless TEST_LOG=1. */
export class MemoryLogging implements Logging {
  readonly records: LogRecord[] = [];
  readonly warnings: readonly string[] = [];

  logger(loggerName: string, ident?: string): Logger {
    const log = (level: RecordLevel) => (message: LogMessage, cause?: unknown) => {
      const text = typeof message === 'function' ? message() : message;
      this.records.push({ level, loggerName, ident, message: text, cause });
      if (process.env.TEST_LOG === '1') {
        console.log(`${level.toUpperCase()} [${ident ?? ''}] ${text} (${loggerName})${cause instanceof Error ? ` ${cause.stack}` : ''}`);
      }
    };
    return {
      name: loggerName,
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      trace: log('trace'),
      isDebugEnabled: () => true,
      isTraceEnabled: () => true,
    };
  }

  setLevel(): void {}

  effectiveLevel(): LogLevelName {
    return 'TRACE';
  }

  loggerLevels(): Record<string, LogLevelName> {
    return {};
  }

  async close(): Promise<void> {}

  /** Lines (with their ident, as Kafka prints `[ident] message`) of a logger name prefix and minimum level. */
  lines(loggerPrefix: string, levels: readonly RecordLevel[] = ['error', 'warn', 'info', 'debug', 'trace']): string[] {
    return this.records
      .filter((r) => r.loggerName.startsWith(loggerPrefix) && levels.includes(r.level))
      .map((r) => (r.ident ? `[${r.ident}] ${r.message}` : r.message));
  }
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A broker process stand-in: its ZooKeeper session (which registered it), its controller and its listener. */
export interface ControllerNode {
  id: number;
  session: ZkSession;
  zkClient: KafkaZkClient;
  controller: KafkaController;
  broker: FakeBroker;
  brokerInfo: BrokerInfo;
  logging: MemoryLogging;
  brokerEpochs: number[];
  stop(): Promise<void>;
}

/** Starts a node: listener, session, broker registration, then the controller (which runs an election). */
export async function startNode(zkConnect: string, id: number, props: Record<string, string> = {}): Promise<ControllerNode> {
  const broker = new FakeBroker({ id, zkConnect });
  await broker.listen();
  const session = await ZkSession.connect({ connectString: zkConnect, sessionTimeoutMs: 10_000 });
  const zkClient = new KafkaZkClient(session);
  await zkClient.createTopLevelPaths();
  const brokerInfo: BrokerInfo = {
    id,
    endpoints: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: broker.port, securityProtocol: 'PLAINTEXT' }],
    rack: null,
    jmxPort: -1,
  };
  const brokerEpoch = await zkClient.registerBroker(brokerInfo);
  broker.brokerEpoch = brokerEpoch;
  const logging = new MemoryLogging();
  const config = loadBrokerConfig({
    properties: {
      'broker.id': String(id),
      'zookeeper.connect': zkConnect,
      listeners: `PLAINTEXT://127.0.0.1:${broker.port}`,
      'auto.leader.rebalance.enable': 'false',
      ...props,
    },
  });
  const brokerEpochs: number[] = [brokerEpoch];
  const controller = new KafkaController({
    config,
    zkClient,
    zkSession: session,
    logging,
    brokerInfo,
    brokerEpoch,
    onBrokerEpochChange: (e) => {
      brokerEpochs.push(e);
      broker.brokerEpoch = e;
    },
  });
  await controller.startup();
  let stopped = false;
  return {
    id, session, zkClient, controller, broker, brokerInfo, logging, brokerEpochs,
    async stop() {
      if (stopped) return;
      stopped = true;
      await controller.shutdown();
      await session.close();
      await broker.stop();
    },
  };
}
