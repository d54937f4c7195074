/**
 * GroupMetadataManager (Kafka's class of the same name): the groups this broker coordinates and their
 * persistence in `__consumer_offsets`.
 *
 * - Ownership: a group lives in partition `partitionFor(groupId)`. When this broker becomes the leader of
 *   a partition it loads the partition's groups and offsets from the log (requests for those groups get
 *   COORDINATOR_LOAD_IN_PROGRESS meanwhile); when it stops leading, it unloads them. Loads and unloads run
 *   one at a time, in order, and are fenced by the partition's leader epoch (the coordinator epoch).
 * - Writes: group metadata after each rebalance and offset commits are appended with acks=-1 and
 *   offsets.commit.timeout.ms, then applied to the cache; append errors map to the coordinator errors
 *   clients expect (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, ...).
 * - Expiry: every offsets.retention.check.interval.ms expired offsets are removed and tombstoned, and an
 *   Empty group left without offsets becomes Dead and gets a tombstone too (DeleteGroups and
 *   OffsetDelete go through the same path).
 *
 * Record formats: see records/group-records.ts. Log compaction of the topic is the log cleaner's job.
 */
import { NOOP_LOGGER, type Logger } from '../../common/logger';
import type { Scheduler, ScheduledTask } from '../../common/scheduler';
import type { Time } from '../../common/time';
import { SerialQueue } from '../../log/serial-queue';
import { ErrorCode } from '../../protocol';
import { buildRecordBatch, decodeRecords } from '../../protocol/records/record-batch-builder';
import type { RecordInput } from '../../protocol/records/record';
import { batches, compressionName } from '../../protocol/records/record-batch';
import type { ReplicaManager } from '../../replica/replica-manager';
import { GroupStateError } from './coordinator-errors';
import type { OffsetConfig } from './group-config';
import { GroupMetadata, type GroupOffset } from './group-metadata';
import { GroupState } from './group-state';
import { GROUP_METADATA_TOPIC_NAME, partitionFor } from './offsets-topic';
import {
  topicPartitionKey,
  type CommitRecordMetadataAndOffset,
  type OffsetAndMetadata,
  type TopicPartition,
} from './offset-and-metadata';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  readGroupMessageValue,
  readMessageKey,
  readOffsetMessageValue,
  type StoredGroup,
} from './records/group-records';

/** What the manager needs of the replica manager. */
export type OffsetsReplicaAccess = Pick<ReplicaManager, 'getPartition' | 'appendRecords'>;

/** An offset to commit for one partition. */
export interface OffsetCommitEntry extends TopicPartition {
  offset: OffsetAndMetadata;
}

/** A fetched committed offset (OffsetFetch's partition data). */
export interface FetchedOffset extends TopicPartition {
  committedOffset: number;
  leaderEpoch: number;
  metadata: string;
  error: number;
}

export interface GroupMetadataManagerOptions {
  brokerId: number;
  config: OffsetConfig;
  replicaManager: OffsetsReplicaAccess;
  time: Time;
  scheduler: Scheduler;
  logger?: Logger;
}

/** Maps a failed `__consumer_offsets` append to what an offset commit answers (Kafka's maybeConvertOffsetCommitError). */
export function convertOffsetCommitError(error: number): number {
  switch (error) {
    case ErrorCode.NETWORK_EXCEPTION:
      return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return error;
  }
}

/** Maps a failed group metadata append to what SyncGroup answers (Kafka's storeGroup callback). */
function convertStoreGroupError(error: number): number {
  switch (error) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.REBALANCE_IN_PROGRESS;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return error;
  }
}

export class GroupMetadataManager {
  private readonly cache = new Map<string, GroupMetadata>();
  private readonly loadingPartitions = new Set<number>();
  private readonly ownedPartitions = new Set<number>();
  /** Loads queued but not started, per partition. */
  private readonly scheduledLoads = new Map<number, number>();
  /** Leader epoch at which each partition was last loaded or unloaded, to drop stale requests. */
  private readonly epochForPartitionId = new Map<number, number>();
  /** Loads and unloads, one at a time (Kafka's single-threaded group-metadata-manager scheduler). */
  private readonly queue = new SerialQueue();
  private readonly logger: Logger;
  private readonly config: OffsetConfig;
  private numPartitions: number;
  private expirationTask: ScheduledTask | undefined;
  private shuttingDown = false;

  constructor(private readonly opts: GroupMetadataManagerOptions) {
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.config = opts.config;
    this.numPartitions = opts.config.offsetsTopicNumPartitions;
  }

  /**
   * Starts the manager. `partitionCount` is the partition count of an existing `__consumer_offsets`
   * (which may differ from offsets.topic.num.partitions if that changed after creation).
   */
  startup(options: { partitionCount?: number; enableMetadataExpiration?: boolean } = {}): void {
    this.numPartitions = options.partitionCount ?? this.config.offsetsTopicNumPartitions;
    if (options.enableMetadataExpiration ?? true) {
      this.expirationTask = this.opts.scheduler.schedule('delete-expired-group-metadata', () => this.cleanupExpiredGroupMetadata().then(() => undefined), {
        delayMs: 0,
        periodMs: this.config.offsetsRetentionCheckIntervalMs,
      });
    }
  }

  /** Stops expiration and waits for a load or unload in progress. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.expirationTask?.cancel();
    await this.queue.run(async () => undefined);
  }

  get offsetsTopicPartitionCount(): number {
    return this.numPartitions;
  }

  partitionFor(groupId: string): number {
    return partitionFor(groupId, this.numPartitions);
  }

  isPartitionOwned(partition: number): boolean {
    return this.ownedPartitions.has(partition);
  }

  isPartitionLoading(partition: number): boolean {
    return this.loadingPartitions.has(partition);
  }

  isGroupLocal(groupId: string): boolean {
    return this.isPartitionOwned(this.partitionFor(groupId));
  }

  isGroupLoading(groupId: string): boolean {
    return this.isPartitionLoading(this.partitionFor(groupId));
  }

  get isLoading(): boolean {
    return this.loadingPartitions.size > 0;
  }

  /** The group's partition is ours and the group does not exist (or is Dead). */
  groupNotExists(groupId: string): boolean {
    if (!this.isGroupLocal(groupId)) return false;
    const group = this.cache.get(groupId);
    return group === undefined || group.is(GroupState.Dead);
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.cache.get(groupId);
  }

  /** The group, created Empty when absent and `createIfNotExist`. */
  getOrMaybeCreateGroup(groupId: string, createIfNotExist: boolean): GroupMetadata | undefined {
    const existing = this.cache.get(groupId);
    if (existing || !createIfNotExist) return existing;
    return this.addGroup(new GroupMetadata(groupId, { initialState: GroupState.Empty, time: this.opts.time }));
  }

  /** Adds the group unless one with its id is cached; returns the cached one. */
  addGroup(group: GroupMetadata): GroupMetadata {
    const existing = this.cache.get(group.groupId);
    if (existing) return existing;
    this.cache.set(group.groupId, group);
    return group;
  }

  currentGroups(): GroupMetadata[] {
    return [...this.cache.values()];
  }

  /** The `__consumer_offsets` partition of the group, if this broker leads it with a local log. */
  private localLeaderPartition(groupId: string): number | undefined {
    const p = this.partitionFor(groupId);
    const partition = this.opts.replicaManager.getPartition(GROUP_METADATA_TOPIC_NAME, p);
    return partition?.log !== undefined && partition.isLeader ? p : undefined;
  }

  private async buildBatch(records: RecordInput[]): Promise<Buffer> {
    return buildRecordBatch(records, {
      compression: compressionName(this.config.offsetsTopicCompressionCodec) ?? 'none',
      now: this.opts.time.milliseconds(),
    });
  }

  private async append(partition: number, records: Buffer, requiredAcks: number): Promise<{ errorCode: number; baseOffset: number }> {
    const [result] = await this.opts.replicaManager.appendRecords({
      requiredAcks,
      timeoutMs: this.config.offsetCommitTimeoutMs,
      entries: [{ topic: GROUP_METADATA_TOPIC_NAME, partition, records }],
    });
    if (!result) throw new GroupStateError(`Append to ${GROUP_METADATA_TOPIC_NAME}-${partition} returned no result`);
    return { errorCode: result.errorCode, baseOffset: result.baseOffset };
  }

  /**
   * Writes the group's metadata (members and their assignment) and resolves to the error SyncGroup
   * should answer (NONE when written). NOT_COORDINATOR when this broker no longer leads the partition.
   */
  async storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): Promise<number> {
    const partition = this.localLeaderPartition(group.groupId);
    if (partition === undefined) return ErrorCode.NOT_COORDINATOR;
    const generationId = group.generationId;
    const records = await this.buildBatch([{ key: groupMetadataKey(group.groupId), value: groupMetadataValue(group.toStored(assignment)) }]);
    const status = await this.append(partition, records, -1);
    if (status.errorCode === ErrorCode.NONE) return ErrorCode.NONE;
    const converted = convertStoreGroupError(status.errorCode);
    if (converted === status.errorCode && converted !== ErrorCode.REBALANCE_IN_PROGRESS) {
      this.logger.error(`Appending metadata message for group ${group.groupId} generation ${generationId} failed due to unexpected error: ${status.errorCode}`);
    } else {
      this.logger.debug(`Metadata from group ${group.groupId} with generation ${generationId} failed when appending to log due to ${status.errorCode}`);
    }
    return converted;
  }

  /**
   * Writes offset commits and, once written, makes them the group's committed offsets. Resolves to each
   * partition's error (keyed by topicPartitionKey). Metadata longer than offset.metadata.max.bytes is
   * refused per partition with OFFSET_METADATA_TOO_LARGE.
   */
  async storeOffsets(group: GroupMetadata, commit: { consumerId: string; offsets: readonly OffsetCommitEntry[] }): Promise<Map<string, number>> {
    const { consumerId, offsets } = commit;
    const result = new Map<string, number>();
    const valid = new Map<string, OffsetCommitEntry>();
    for (const o of offsets) {
      const key = topicPartitionKey(o.topic, o.partition);
      if (o.offset.metadata.length > this.config.maxMetadataSize) result.set(key, ErrorCode.OFFSET_METADATA_TOO_LARGE);
      else valid.set(key, o);
    }
    if (valid.size === 0) return result;
    const partition = this.localLeaderPartition(group.groupId);
    if (partition === undefined) {
      for (const key of valid.keys()) result.set(key, ErrorCode.NOT_COORDINATOR);
      return result;
    }
    const now = this.opts.time.milliseconds();
    const records = [...valid.values()].map((o) => ({
      key: offsetCommitKey(group.groupId, o),
      value: offsetCommitValue(o.offset),
      timestamp: now,
    }));
    group.prepareOffsetCommit(valid);
    let status: { errorCode: number; baseOffset: number };
    try {
      status = await this.append(partition, await this.buildBatch(records), -1);
    } catch (err) {
      this.logger.error(`Error appending offset commit of group ${group.groupId}`, err);
      status = { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, baseOffset: -1 };
    }
    if (status.errorCode === ErrorCode.NONE) {
      if (!group.is(GroupState.Dead)) {
        for (const o of valid.values()) {
          group.onOffsetCommitAppend(o, { appendedBatchOffset: status.baseOffset, offsetAndMetadata: o.offset });
        }
      }
    } else {
      if (!group.is(GroupState.Dead)) for (const o of valid.values()) group.failPendingOffsetWrite(o, o.offset);
      this.logger.debug(
        `Offset commit of ${valid.size} partitions from group ${group.groupId}, consumer ${consumerId} with generation ` +
          `${group.generationId} failed when appending to log due to ${status.errorCode}`,
      );
    }
    const error = status.errorCode === ErrorCode.NONE ? ErrorCode.NONE : convertOffsetCommitError(status.errorCode);
    for (const key of valid.keys()) result.set(key, error);
    return result;
  }

  /**
   * The committed offsets of the group: of `partitions`, or of every partition it has offsets for when
   * null. Never returns a stale offset: a missing group or partition gives offset -1.
   */
  getOffsets(groupId: string, options: { requireStable: boolean; partitions: readonly TopicPartition[] | null }): FetchedOffset[] {
    const { requireStable, partitions } = options;
    const none = (tp: TopicPartition, error: number = ErrorCode.NONE): FetchedOffset => ({
      topic: tp.topic,
      partition: tp.partition,
      committedOffset: -1,
      leaderEpoch: -1,
      metadata: '',
      error,
    });
    const group = this.cache.get(groupId);
    if (!group || group.is(GroupState.Dead)) return (partitions ?? []).map((tp) => none(tp));
    const tps: readonly TopicPartition[] = partitions ?? group.allOffsets();
    return tps.map((tp) => {
      if (requireStable && group.hasPendingOffsetCommitsForTopicPartition(tp)) return none(tp, ErrorCode.UNSTABLE_OFFSET_COMMIT);
      const o = group.offset(tp);
      if (!o) return none(tp);
      return { topic: tp.topic, partition: tp.partition, committedOffset: o.committedOffset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, error: ErrorCode.NONE };
    });
  }

  // --- loading and unloading ----------------------------------------------------------------------

  /**
   * Loads the groups and offsets of `partition` (this broker became its leader at `coordinatorEpoch`),
   * then calls `onGroupLoaded` for each group. Resolves when done.
   */
  scheduleLoadGroupAndOffsets(
    partition: number,
    options: { coordinatorEpoch: number; onGroupLoaded: (g: GroupMetadata) => void },
  ): Promise<void> {
    const { coordinatorEpoch, onGroupLoaded } = options;
    this.logger.info(`Scheduling loading of offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${partition} for epoch ${coordinatorEpoch}`);
    const scheduledAt = this.opts.time.milliseconds();
    // Marked as loading at once, so requests answer COORDINATOR_LOAD_IN_PROGRESS (retried in place)
    // rather than NOT_COORDINATOR while the load waits for its turn.
    this.scheduledLoads.set(partition, (this.scheduledLoads.get(partition) ?? 0) + 1);
    if (!this.ownedPartitions.has(partition)) this.loadingPartitions.add(partition);
    return this.queue.run(async () => {
      const remaining = (this.scheduledLoads.get(partition) ?? 1) - 1;
      if (remaining > 0) this.scheduledLoads.set(partition, remaining);
      else this.scheduledLoads.delete(partition);
      try {
        await this.loadGroupsAndOffsets(partition, coordinatorEpoch, onGroupLoaded, scheduledAt);
      } finally {
        // A load that did not happen (stale epoch) leaves no mark behind unless another one is queued.
        if (!this.ownedPartitions.has(partition) && !this.scheduledLoads.has(partition)) this.loadingPartitions.delete(partition);
      }
    });
  }

  private async loadGroupsAndOffsets(
    partition: number,
    coordinatorEpoch: number,
    onGroupLoaded: (g: GroupMetadata) => void,
    scheduledAt: number,
  ): Promise<void> {
    const name = `${GROUP_METADATA_TOPIC_NAME}-${partition}`;
    if (!this.maybeUpdateCoordinatorEpoch(partition, coordinatorEpoch)) {
      this.logger.info(`Not loading offsets and group metadata for ${name} in epoch ${coordinatorEpoch} since current epoch is ${this.epochForPartitionId.get(partition)}`);
      return;
    }
    if (this.ownedPartitions.has(partition)) {
      this.logger.info(`Already loading offsets and group metadata from ${name}`);
      return;
    }
    this.loadingPartitions.add(partition);
    try {
      const started = this.opts.time.milliseconds();
      await this.doLoadGroupsAndOffsets(partition, onGroupLoaded);
      const ended = this.opts.time.milliseconds();
      this.logger.info(
        `Finished loading offsets and group metadata from ${name} in ${ended - scheduledAt} milliseconds for epoch ` +
          `${coordinatorEpoch}, of which ${started - scheduledAt} milliseconds was spent in the scheduler.`,
      );
    } catch (err) {
      this.logger.error(`Error loading offsets from ${name}`, err);
    } finally {
      this.ownedPartitions.add(partition);
      this.loadingPartitions.delete(partition);
    }
  }

  private async doLoadGroupsAndOffsets(partitionId: number, onGroupLoaded: (g: GroupMetadata) => void): Promise<void> {
    const partition = this.opts.replicaManager.getPartition(GROUP_METADATA_TOPIC_NAME, partitionId);
    const log = partition?.log;
    if (!partition || !log) {
      this.logger.warn(`Attempted to load offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${partitionId}, but found no log`);
      return;
    }
    const loadedOffsets = new Map<string, { group: string; tp: TopicPartition; commit: CommitRecordMetadataAndOffset }>();
    const loadedGroups = new Map<string, StoredGroup>();
    const removedGroups = new Set<string>();
    // The loop ends at the log end, when a read returns nothing, or if leadership moves away meanwhile.
    const logEndOffset = () => (partition.isLeader && partition.log === log ? log.logEndOffset : -1);
    let currOffset = log.logStartOffset;
    let readAtLeastOneRecord = true;
    while (currOffset < logEndOffset() && readAtLeastOneRecord && !this.shuttingDown) {
      const data = await log.read(currOffset, { maxBytes: this.config.loadBufferSize, minOneMessage: true });
      readAtLeastOneRecord = data.records.some((b) => b.length > 0);
      for (const buf of data.records) {
        for (const batch of batches(buf)) {
          // Control batches are transaction markers; this broker writes no transactional offset commits.
          if (!batch.isControl) {
            for (const record of await decodeRecords(batch)) {
              if (record.key === null) throw new GroupStateError('Group metadata/offset entry key should not be null');
              const key = readMessageKey(record.key);
              if (key.type === 'offset') {
                const tp = { topic: key.topic, partition: key.partition };
                const mapKey = `${key.group}\u0000${topicPartitionKey(key.topic, key.partition)}`;
                const value = readOffsetMessageValue(record.value);
                if (value === null) loadedOffsets.delete(mapKey);
                else loadedOffsets.set(mapKey, { group: key.group, tp, commit: { appendedBatchOffset: batch.baseOffset, offsetAndMetadata: value } });
              } else if (key.type === 'group') {
                const stored = readGroupMessageValue(record.value);
                if (stored !== null) {
                  removedGroups.delete(key.group);
                  loadedGroups.set(key.group, stored);
                } else {
                  loadedGroups.delete(key.group);
                  removedGroups.add(key.group);
                }
              } else {
                this.logger.warn(
                  `Unknown message key with version ${key.version} while loading offsets and group metadata from ` +
                    `${GROUP_METADATA_TOPIC_NAME}-${partitionId}. Ignoring it. It could be a left over from an aborted upgrade.`,
                );
              }
            }
          }
          currOffset = batch.nextOffset;
        }
      }
    }

    const offsetsByGroup = new Map<string, GroupOffset[]>();
    for (const { group, tp, commit } of loadedOffsets.values()) {
      let list = offsetsByGroup.get(group);
      if (!list) offsetsByGroup.set(group, (list = []));
      list.push({ ...tp, ...commit });
    }
    for (const [groupId, stored] of loadedGroups) {
      const group = GroupMetadata.loadGroup(groupId, { stored, time: this.opts.time });
      this.loadGroup(group, offsetsByGroup.get(groupId) ?? []);
      onGroupLoaded(group);
    }
    // Groups that only store offsets (no members ever, or their metadata was compacted away).
    for (const [groupId, offsets] of offsetsByGroup) {
      if (loadedGroups.has(groupId)) continue;
      const group = new GroupMetadata(groupId, { initialState: GroupState.Empty, time: this.opts.time });
      this.loadGroup(group, offsets);
      onGroupLoaded(group);
    }
    for (const groupId of removedGroups) {
      // A group removed in the log must not be active here, unless it is used for offsets only again.
      if (this.cache.has(groupId) && !offsetsByGroup.has(groupId)) {
        throw new GroupStateError(`Unexpected unload of active group ${groupId} while loading partition ${GROUP_METADATA_TOPIC_NAME}-${partitionId}`);
      }
    }
  }

  private loadGroup(group: GroupMetadata, offsets: GroupOffset[]): void {
    // Offsets go in before the group becomes visible, so clients never see the group without them.
    group.initializeOffsets(offsets);
    const current = this.addGroup(group);
    if (current !== group) {
      this.logger.debug(
        `Attempt to load group ${group.groupId} from log with generation ${group.generationId} failed because there is ` +
          `already a cached group with generation ${current.generationId}`,
      );
    }
  }

  /** Unloads the groups of `partition` (this broker no longer leads it), calling `onGroupUnloaded` for each. */
  removeGroupsForPartition(
    partition: number,
    options: { coordinatorEpoch: number | null; onGroupUnloaded: (g: GroupMetadata) => void },
  ): Promise<void> {
    const { coordinatorEpoch, onGroupUnloaded } = options;
    this.logger.info(`Scheduling unloading of offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${partition}`);
    return this.queue.run(async () => this.removeGroupsAndOffsets(partition, coordinatorEpoch, onGroupUnloaded));
  }

  private removeGroupsAndOffsets(partition: number, coordinatorEpoch: number | null, onGroupUnloaded: (g: GroupMetadata) => void): void {
    const name = `${GROUP_METADATA_TOPIC_NAME}-${partition}`;
    if (!this.maybeUpdateCoordinatorEpoch(partition, coordinatorEpoch)) {
      this.logger.info(`Not removing offsets and group metadata for ${name} in epoch ${coordinatorEpoch} since current epoch is ${this.epochForPartitionId.get(partition)}`);
      return;
    }
    let numOffsetsRemoved = 0;
    let numGroupsRemoved = 0;
    this.ownedPartitions.delete(partition);
    if (!this.scheduledLoads.has(partition)) this.loadingPartitions.delete(partition);
    for (const group of [...this.cache.values()]) {
      if (this.partitionFor(group.groupId) !== partition) continue;
      onGroupUnloaded(group);
      this.cache.delete(group.groupId);
      numGroupsRemoved++;
      numOffsetsRemoved += group.numOffsets;
    }
    this.logger.info(
      `Finished unloading ${name} for coordinator epoch ${coordinatorEpoch ?? 'None'}. Removed ${numOffsetsRemoved} cached ` +
        `offsets and ${numGroupsRemoved} cached groups.`,
    );
  }

  /** Records a newer epoch; true when `epoch` is null or not older than the partition's current epoch. */
  private maybeUpdateCoordinatorEpoch(partition: number, epoch: number | null): boolean {
    if (epoch === null) return true;
    const current = this.epochForPartitionId.get(partition);
    if (current === undefined || epoch > current) {
      this.epochForPartitionId.set(partition, epoch);
      return true;
    }
    return epoch === current;
  }

  // --- expiry and deletion ------------------------------------------------------------------------

  /** Removes expired offsets of every group (the periodic task). Resolves to how many were removed. */
  async cleanupExpiredGroupMetadata(): Promise<number> {
    const now = this.opts.time.milliseconds();
    const removed = await this.cleanupGroupMetadata(this.currentGroups(), (g) => g.removeExpiredOffsets(now, this.config.offsetsRetentionMs));
    if (removed > 0) this.logger.info(`Removed ${removed} expired offsets in ${this.opts.time.milliseconds() - now} milliseconds.`);
    return removed;
  }

  /**
   * Removes offsets chosen by `selector` from each group and tombstones them; an Empty group left
   * without offsets becomes Dead, leaves the cache and gets a group tombstone (unless it never had a
   * generation: offset-only groups). Resolves to the number of offsets removed.
   */
  async cleanupGroupMetadata(groups: Iterable<GroupMetadata>, selector: (g: GroupMetadata) => GroupOffset[]): Promise<number> {
    let offsetsRemoved = 0;
    for (const group of [...groups]) {
      const groupId = group.groupId;
      const removedOffsets = selector(group);
      if (group.is(GroupState.Empty) && !group.hasOffsets()) {
        this.logger.info(`Group ${groupId} transitioned to Dead in generation ${group.generationId}`);
        group.transitionTo(GroupState.Dead);
      }
      const groupIsDead = group.is(GroupState.Dead);
      const generation = group.generationId;
      const partition = this.localLeaderPartition(groupId);
      if (partition === undefined) {
        this.logger.info(`BrokerId ${this.opts.brokerId} is no longer a coordinator for the group ${groupId}. Proceeding cleanup for other alive groups`);
        continue;
      }
      const now = this.opts.time.milliseconds();
      const tombstones: RecordInput[] = removedOffsets.map((o) => ({ key: offsetCommitKey(groupId, o), value: null, timestamp: now }));
      let removedFromCache = false;
      if (groupIsDead && this.cache.get(groupId) === group) {
        this.cache.delete(groupId);
        removedFromCache = true;
      }
      // Offset-only groups (generation 0) never had a metadata record to delete.
      if (removedFromCache && generation > 0) tombstones.push({ key: groupMetadataKey(groupId), value: null, timestamp: now });
      if (tombstones.length === 0) continue;
      try {
        // No acks needed: a lost tombstone is written again by the next expiration run.
        const status = await this.append(partition, await this.buildBatch(tombstones), 1);
        if (status.errorCode !== ErrorCode.NONE) throw new GroupStateError(`append failed with error code ${status.errorCode}`);
        offsetsRemoved += removedOffsets.length;
      } catch (err) {
        this.logger.error(
          `Failed to append ${tombstones.length} tombstones to ${GROUP_METADATA_TOPIC_NAME}-${partition} for expired/deleted ` +
            `offsets and/or metadata for group ${groupId}.`,
          err,
        );
      }
    }
    return offsetsRemoved;
  }
}
