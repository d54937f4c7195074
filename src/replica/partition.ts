/**
 * One partition hosted by this broker (Kafka's cluster.Partition): its leadership as last told by the
 * controller (leader, leader epoch, partition epoch, ISR, assignment), its local log, the log end offsets of
 * the remote replicas when this broker leads, and the high watermark.
 *
 * The high watermark is the smallest log end offset over the ISR. It also tracks how many bytes sit below
 * the high watermark, so that delayed fetches can tell when fetch.min.bytes of new data became visible
 * without touching the disk.
 */
import type { Log } from '../log/log';
import { LeaderIsrUpdateLock } from './leader-isr-update-lock';

export interface LeaderAndIsrPartitionInfo {
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  partitionEpoch: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
  isNew: boolean;
}

interface RemoteReplicaState {
  logEndOffset: number;
  /** The follower's log start offset from its last fetch (-1 before its first); see lowWatermarkIfLeader. */
  logStartOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  /** The leader's log end offset when this follower last fetched (Kafka's lastFetchLeaderLogEndOffset). */
  lastFetchLeaderLogEndOffset: number;
}

/** A point of the log: the offset after an append and the cumulative bytes appended up to it. */
interface AppendMark {
  endOffset: number;
  cumulativeBytes: number;
}

export class Partition {
  leaderReplicaId = -1;
  leaderEpoch = -1;
  partitionEpoch = -1;
  controllerEpoch = -1;
  isr: number[] = [];
  assignment: number[] = [];
  topicId = 'AAAAAAAAAAAAAAAAAAAAAA';
  log: Log | undefined;
  /** The log end offset when this broker became leader in the current epoch. */
  leaderEpochStartOffset = -1;
  /** An ISR write to ZooKeeper is in flight; no other ISR change starts meanwhile. */
  isrUpdateInFlight = false;
  /** Held shared by appends as leader, exclusively by leadership and ISR changes. */
  readonly leaderIsrUpdateLock = new LeaderIsrUpdateLock();

  private readonly remoteReplicas = new Map<number, RemoteReplicaState>();
  /** Cumulative bytes appended since this broker loaded the partition; compared against marks. */
  private appendedBytes = 0;
  /** Appends above the high watermark, oldest first. */
  private pendingMarks: AppendMark[] = [];
  private bytesBelowHw = 0;

  constructor(
    readonly topic: string,
    readonly partitionId: number,
    private readonly localBrokerId: number,
    private readonly now: () => number = Date.now,
  ) {}

  get key(): string {
    return `${this.topic}-${this.partitionId}`;
  }

  get isLeader(): boolean {
    return this.leaderReplicaId === this.localBrokerId;
  }

  /** Bytes of data below the high watermark since the partition was loaded (monotonic). */
  get visibleBytes(): number {
    return this.bytesBelowHw;
  }

  /** Bytes appended since the partition was loaded (monotonic); followers wait on this. */
  get logEndBytes(): number {
    return this.appendedBytes;
  }

  get highWatermark(): number {
    return this.log?.highWatermark ?? 0;
  }

  /** Applies a LeaderAndIsr state that makes this broker the leader. Returns true if leadership is new. */
  makeLeader(state: LeaderAndIsrPartitionInfo, log: Log): boolean {
    const isNewLeader = !this.isLeader || this.leaderEpoch !== state.leaderEpoch;
    this.applyState(state, log);
    const now = this.now();
    this.remoteReplicas.clear();
    for (const id of state.replicas) {
      if (id === this.localBrokerId) continue;
      this.remoteReplicas.set(id, {
        logEndOffset: -1,
        logStartOffset: -1,
        lastCaughtUpTimeMs: now,
        lastFetchTimeMs: now,
        lastFetchLeaderLogEndOffset: -1,
      });
    }
    this.leaderEpochStartOffset = log.logEndOffset;
    this.maybeIncrementLeaderHW();
    return isNewLeader;
  }

  /** Applies a LeaderAndIsr state that makes this broker a follower. Returns true if the leader changed. */
  makeFollower(state: LeaderAndIsrPartitionInfo, log: Log): boolean {
    const leaderChanged = this.leaderReplicaId !== state.leader;
    this.applyState(state, log);
    this.remoteReplicas.clear();
    return leaderChanged;
  }

  /** Records that bytes were appended up to endOffset (exclusive) and moves the HW if the ISR allows. */
  onLocalAppend(endOffset: number, bytes: number): boolean {
    this.appendedBytes += bytes;
    this.pendingMarks.push({ endOffset, cumulativeBytes: this.appendedBytes });
    return this.isLeader ? this.maybeIncrementLeaderHW() : false;
  }

  /**
   * Records a follower's fetch position (its log end offset) and its log start offset (Fetch v5+; -1
   * leaves it as it was). A follower is caught up when it fetched from the leader's log end offset, or
   * from where the leader's log ended at its previous fetch (Kafka's rule).
   */
  updateFollowerFetchState(replicaId: number, logEndOffset: number, logStartOffset = -1): boolean {
    const state = this.remoteReplicas.get(replicaId);
    if (!state || !this.log) return false;
    const now = this.now();
    const leaderEnd = this.log.logEndOffset;
    if (logEndOffset >= leaderEnd) state.lastCaughtUpTimeMs = now;
    else if (logEndOffset >= state.lastFetchLeaderLogEndOffset) {
      state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, state.lastFetchTimeMs);
    }
    state.logEndOffset = logEndOffset;
    if (logStartOffset >= 0) state.logStartOffset = logStartOffset;
    state.lastFetchTimeMs = now;
    state.lastFetchLeaderLogEndOffset = leaderEnd;
    return this.maybeIncrementLeaderHW();
  }

  /**
   * The smallest log start offset over the leader and the followers whose brokers are alive (Kafka's
   * lowWatermarkIfLeader): how far DeleteRecords has taken effect on every live replica. A follower that
   * has not fetched since this broker became leader counts as -1.
   */
  lowWatermarkIfLeader(isAlive: (brokerId: number) => boolean): number {
    if (!this.isLeader || !this.log) return -1;
    let low = this.log.logStartOffset;
    for (const [id, state] of this.remoteReplicas) {
      if (isAlive(id) && state.logStartOffset < low) low = state.logStartOffset;
    }
    return low;
  }

  /** ISR members (other than the leader) that have not caught up within maxLagMs. */
  outOfSyncReplicas(maxLagMs: number): number[] {
    if (!this.isLeader) return [];
    const now = this.now();
    return this.isr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const state = this.remoteReplicas.get(id);
      return !state || now - state.lastCaughtUpTimeMs > maxLagMs;
    });
  }

  /** Whether a follower outside the ISR has caught up enough to join it (Kafka's isFollowerInSync). */
  isIsrExpansionCandidate(replicaId: number): boolean {
    if (!this.isLeader || !this.log || this.isr.includes(replicaId) || !this.assignment.includes(replicaId)) return false;
    const state = this.remoteReplicas.get(replicaId);
    return !!state && state.logEndOffset >= this.log.highWatermark && state.logEndOffset >= this.leaderEpochStartOffset;
  }

  /** The HW is the smallest log end offset over the ISR. Returns true if it moved forward. */
  maybeIncrementLeaderHW(): boolean {
    const log = this.log;
    if (!log || !this.isLeader) return false;
    let newHw = log.logEndOffset;
    for (const id of this.isr) {
      if (id === this.localBrokerId) continue;
      const remote = this.remoteReplicas.get(id);
      if (!remote) continue;
      newHw = Math.min(newHw, Math.max(remote.logEndOffset, 0));
    }
    if (newHw <= log.highWatermark) return false;
    log.highWatermark = newHw;
    this.advanceVisibleBytes(newHw);
    return true;
  }

  /** Moves the follower's HW to what the leader reported (never past the local log end). */
  updateFollowerHighWatermark(leaderHw: number): void {
    const log = this.log;
    if (!log) return;
    const hw = Math.min(leaderHw, log.logEndOffset);
    if (hw > log.highWatermark) {
      log.highWatermark = hw;
      this.advanceVisibleBytes(hw);
    }
  }

  private advanceVisibleBytes(hw: number): void {
    let i = 0;
    while (i < this.pendingMarks.length && this.pendingMarks[i]!.endOffset <= hw) {
      this.bytesBelowHw = this.pendingMarks[i]!.cumulativeBytes;
      i++;
    }
    if (i > 0) this.pendingMarks = this.pendingMarks.slice(i);
  }

  private applyState(state: LeaderAndIsrPartitionInfo, log: Log): void {
    this.log = log;
    this.leaderReplicaId = state.leader;
    this.leaderEpoch = state.leaderEpoch;
    this.partitionEpoch = state.partitionEpoch;
    this.controllerEpoch = state.controllerEpoch;
    this.isr = [...state.isr];
    this.assignment = [...state.replicas];
  }
}
