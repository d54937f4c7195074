/**
 * ReplicaFetcherManager (Kafka's AbstractFetcherManager): the replica fetchers of this broker, num.replica.fetchers
 * per leader broker, each partition assigned to fetcher `abs(hash(topic) * 31 + partition) % num.replica.fetchers`
 * as Kafka does. Fetchers with no partitions left are shut down. Removing partitions resolves once their
 * fetchers finished any log change in progress for them, so the caller may take the logs over.
 */
import type { Partition } from './partition';
import { ReplicaFetcher, type FetcherLogger, type ReplicaFetcherConfig, type ReplicaFetcherHooks, type SourceBroker } from './replica-fetcher';

export class ReplicaFetcherManager {
  private readonly fetchers = new Map<string, ReplicaFetcher>();
  /** partition key → fetcher key */
  private readonly assignment = new Map<string, string>();

  constructor(
    private readonly config: ReplicaFetcherConfig & { numFetchers: number },
    private readonly logger: FetcherLogger,
    private readonly hooks: ReplicaFetcherHooks,
  ) {}

  /** Starts fetching the partitions from their leaders (each entry's leader endpoint). */
  async addFetcherForPartitions(entries: { partition: Partition; leader: SourceBroker }[]): Promise<void> {
    await this.removeFetcherForPartitions(entries.map((e) => e.partition.key));
    const grouped = new Map<string, { leader: SourceBroker; fetcherId: number; partitions: Partition[] }>();
    for (const { partition, leader } of entries) {
      const fetcherId = Math.abs(javaStringHash(partition.topic) * 31 + partition.partitionId) % Math.max(1, this.config.numFetchers);
      const key = `${leader.id}@${leader.host}:${leader.port}#${fetcherId}`;
      let g = grouped.get(key);
      if (!g) grouped.set(key, (g = { leader, fetcherId, partitions: [] }));
      g.partitions.push(partition);
    }
    for (const [key, g] of grouped) {
      let fetcher = this.fetchers.get(key);
      if (!fetcher) {
        fetcher = new ReplicaFetcher(String(g.fetcherId), g.leader, this.config, this.logger, this.hooks);
        this.fetchers.set(key, fetcher);
        fetcher.start();
      }
      fetcher.addPartitions(g.partitions);
      for (const p of g.partitions) this.assignment.set(p.key, key);
    }
  }

  /** Stops fetching the partitions; resolves once no fetcher is changing their logs any more. */
  async removeFetcherForPartitions(keys: Iterable<string>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const k of keys) {
      const fk = this.assignment.get(k);
      if (fk === undefined) continue;
      this.assignment.delete(k);
      const fetcher = this.fetchers.get(fk);
      if (!fetcher) continue;
      pending.push(fetcher.removePartitions([k]));
      if (fetcher.partitionCount === 0) {
        this.fetchers.delete(fk);
        void fetcher.shutdown();
      }
    }
    await Promise.all(pending);
  }

  isFetching(key: string): boolean {
    return this.assignment.has(key);
  }

  async shutdown(): Promise<void> {
    const all = [...this.fetchers.values()];
    this.fetchers.clear();
    this.assignment.clear();
    await Promise.all(all.map((f) => f.shutdown()));
  }
}

/** Java's String.hashCode (Kafka's fetcher id uses Utils.abs of it). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
