/**
 * What the Admin client's cluster tests share: a real cluster (ZooKeeper and brokers as processes) with an
 * Admin over a KafkaClient bootstrapped on it, stopped in one call, and a poll for a state the cluster
 * reaches asynchronously (ISR changes, reassignments completing, dynamic configs applied).
 */
import { Admin } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { startCluster, type Cluster } from '../harness/cluster';

/** A running cluster and an Admin on it. */
export interface AdminCluster {
  cluster: Cluster;
  client: KafkaClient;
  admin: Admin;
  stop(): Promise<void>;
}

/** Starts `brokers` brokers (ids 0..n-1) and an Admin with a 30 s default.api.timeout.ms. */
export async function startAdminCluster(brokers: number, options: { clientId: string }): Promise<AdminCluster> {
  const cluster = await startCluster({ brokers });
  const client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: options.clientId });
  return {
    cluster,
    client,
    admin: new Admin(client, { defaultApiTimeoutMs: 30_000 }),
    async stop() {
      await client.close();
      await cluster.stop();
    },
  };
}
