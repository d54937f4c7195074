/**
 * Test helper: a small TCP server standing in for a broker's inter-broker listener. It decodes what the
 * controller sends with the project's own protocol codec, answers ApiVersions (advertising the versions given,
 * by default what a 3.9 broker supports for the control APIs) and LeaderAndIsr / UpdateMetadata / StopReplica
 * with per-partition NONE (or errors a test asks for), and records every request so tests can assert what went
 * over the wire. Its registration in /brokers/ids/<id> uses its own ZooKeeper session, so closing that session
 * is a real broker death.
 */
import * as net from 'node:net';
import {
  ApiKeys,
  ErrorCode,
  decodeRequest,
  decodeRequestHeader,
  encodeResponse,
  type ApiKey,
} from '../../src/protocol';
import { FrameDecoder } from '../../src/network/frame-decoder';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ZkSession } from '../../src/zk/zk-session';

/** One request the fake broker received. */
export interface ReceivedRequest {
  apiKey: number;
  version: number;
  clientId: string | null;
  // Decoded request body (camelCase fields, defaults filled in).
  body: any;
}

export interface FakeBrokerOptions {
  id: number;
  zkConnect: string;
  /** Versions advertised in ApiVersions per api key; defaults to LeaderAndIsr 0-7, StopReplica 0-4, UpdateMetadata 0-8. */
  versions?: Partial<Record<number, { min: number; max: number }>>;
  /** Error code returned for StopReplica partitions (default NONE). */
  stopReplicaError?: (topic: string, partition: number, deletePartition: boolean) => number;
  rack?: string | null;
}

const DEFAULT_VERSIONS: Record<number, { min: number; max: number }> = {
  [ApiKeys.ApiVersions]: { min: 0, max: 3 },
  [ApiKeys.LeaderAndIsr]: { min: 0, max: 7 },
  [ApiKeys.StopReplica]: { min: 0, max: 4 },
  [ApiKeys.UpdateMetadata]: { min: 0, max: 8 },
};

export class FakeBroker {
  readonly id: number;
  readonly received: ReceivedRequest[] = [];
  port = 0;
  brokerEpoch = -1;
  zkSession: ZkSession | undefined;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly waiters: Array<{ pred: () => boolean; resolve: () => void }> = [];

  constructor(private readonly opts: FakeBrokerOptions) {
    this.id = opts.id;
  }

  /** Starts listening and registers /brokers/ids/<id> with its own session. */
  async start(): Promise<void> {
    await this.listen();
    await this.register();
  }

  async listen(): Promise<void> {
    this.server = net.createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async register(): Promise<void> {
    this.zkSession = await ZkSession.connect({ connectString: this.opts.zkConnect, sessionTimeoutMs: 10_000 });
    const zk = new KafkaZkClient(this.zkSession);
    this.brokerEpoch = await zk.registerBroker({
      id: this.id,
      endpoints: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: this.port, securityProtocol: 'PLAINTEXT' }],
      rack: this.opts.rack ?? null,
      jmxPort: -1,
    });
  }

  /** Ends the broker's ZooKeeper session: /brokers/ids/<id> disappears (a broker death). */
  async killSession(): Promise<void> {
    await this.zkSession?.close();
    this.zkSession = undefined;
  }

  async stop(): Promise<void> {
    await this.killSession();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  requestsOf(apiKey: number): ReceivedRequest[] {
    return this.received.filter((r) => r.apiKey === apiKey);
  }

  clear(): void {
    this.received.length = 0;
  }

  /** Resolves when `pred` holds (checked after every request), or rejects after `timeoutMs`. */
  waitFor(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`broker ${this.id}: timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new FrameDecoder(100 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) this.onFrame(socket, frame);
    });
  }

  private onFrame(socket: net.Socket, frame: Buffer): void {
    const { header, bodyOffset } = decodeRequestHeader(frame);
    const apiKey = header.apiKey as ApiKey;
    const version = header.apiVersion;
    if (apiKey === ApiKeys.ApiVersions) {
      const versions = { ...DEFAULT_VERSIONS, ...this.opts.versions };
      const body = {
        errorCode: ErrorCode.NONE,
        apiKeys: Object.entries(versions).map(([k, v]) => ({ apiKey: Number(k), minVersion: v!.min, maxVersion: v!.max })),
      };
      socket.write(Buffer.concat(encodeResponse(ApiKeys.ApiVersions, Math.min(version, 3), header.correlationId, body as never)));
      return;
    }
    const body: any = decodeRequest(apiKey, version, frame, bodyOffset);
    this.received.push({ apiKey, version, clientId: header.clientId, body });
    let response: unknown;
    if (apiKey === ApiKeys.LeaderAndIsr) {
      response = version >= 5
        ? { errorCode: 0, topics: body.topicStates.map((t: any) => ({ topicId: t.topicId, partitionErrors: t.partitionStates.map((p: any) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })) })) }
        : { errorCode: 0, partitionErrors: (version >= 2 ? body.topicStates.flatMap((t: any) => t.partitionStates.map((p: any) => ({ ...p, topicName: t.topicName }))) : body.ungroupedPartitionStates).map((p: any) => ({ topicName: p.topicName, partitionIndex: p.partitionIndex, errorCode: 0 })) };
    } else if (apiKey === ApiKeys.UpdateMetadata) {
      response = { errorCode: 0 };
    } else if (apiKey === ApiKeys.StopReplica) {
      const parts: Array<{ topicName: string; partitionIndex: number; deletePartition: boolean }> = version >= 3
        ? body.topicStates.flatMap((t: any) => t.partitionStates.map((p: any) => ({ topicName: t.topicName, partitionIndex: p.partitionIndex, deletePartition: p.deletePartition })))
        : version >= 1
          ? body.topics.flatMap((t: any) => t.partitionIndexes.map((p: number) => ({ topicName: t.name, partitionIndex: p, deletePartition: body.deletePartitions })))
          : body.ungroupedPartitions.map((p: any) => ({ ...p, deletePartition: body.deletePartitions }));
      response = {
        errorCode: 0,
        partitionErrors: parts.map((p) => ({
          topicName: p.topicName,
          partitionIndex: p.partitionIndex,
          errorCode: this.opts.stopReplicaError?.(p.topicName, p.partitionIndex, p.deletePartition) ?? 0,
        })),
      };
    } else {
      socket.destroy();
      return;
    }
    socket.write(Buffer.concat(encodeResponse(apiKey, version, header.correlationId, response as never)));
    for (const w of [...this.waiters]) {
      if (w.pred()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}

/** The partition states of a decoded LeaderAndIsr request (any version), with their topic names. */
export function leaderAndIsrPartitions(r: ReceivedRequest): any[] {
  return r.version >= 2
    ? r.body.topicStates.flatMap((t: any) => t.partitionStates.map((p: any) => ({ ...p, topicName: t.topicName, topicId: t.topicId })))
    : r.body.ungroupedPartitionStates;
}

/** The partition states of a decoded UpdateMetadata request (any version), with their topic names. */
export function updateMetadataPartitions(r: ReceivedRequest): any[] {
  return r.version >= 5
    ? r.body.topicStates.flatMap((t: any) => t.partitionStates.map((p: any) => ({ ...p, topicName: t.topicName })))
    : r.body.ungroupedPartitionStates;
}

/** The partitions of a decoded StopReplica request (v3+) with their delete flags. */
export function stopReplicaPartitions(r: ReceivedRequest): Array<{ topicName: string; partitionIndex: number; deletePartition: boolean; leaderEpoch: number }> {
  if (r.version >= 3) {
    return r.body.topicStates.flatMap((t: any) => t.partitionStates.map((p: any) => ({ topicName: t.topicName, ...p })));
  }
  return r.body.topics.flatMap((t: any) => t.partitionIndexes.map((p: number) => ({
    topicName: t.name, partitionIndex: p, deletePartition: r.body.deletePartitions, leaderEpoch: -1,
  })));
}
