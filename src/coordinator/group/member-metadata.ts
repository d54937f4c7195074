/**
 * One member of a classic group (Kafka's MemberMetadata): identity (member id, KIP-345 group instance
 * id, client id and host), timeouts, the protocols it supports with their metadata (for consumers the
 * serialized subscription), its assignment, and the JoinGroup/SyncGroup requests it has parked in the
 * coordinator (represented by the callbacks that answer them).
 */
/** A protocol a member supports (for consumers: an assignor name and the subscription bytes). */
export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

/** A member as the JoinGroup response lists it to the leader. */
export interface JoinGroupResultMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

/** What a JoinGroup request is answered with. */
export interface JoinGroupResult {
  members: JoinGroupResultMember[];
  memberId: string;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string;
  /** KIP-814: a static leader rejoining a Stable group is told not to run the assignor. */
  skipAssignment: boolean;
  error: number;
}

/** What a SyncGroup request is answered with. */
export interface SyncGroupResult {
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
  error: number;
}

/** A member as DescribeGroups shows it. */
export interface MemberSummary {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** JoinGroupRequest.UNKNOWN_MEMBER_ID. */
export const UNKNOWN_MEMBER_ID = '';
/** JoinGroupRequest.UNKNOWN_GENERATION_ID. */
export const UNKNOWN_GENERATION_ID = -1;

/** Kafka's JoinGroupResult(memberId, error): an error answer carrying no group information. */
export function joinGroupError(memberId: string, error: number): JoinGroupResult {
  return {
    members: [],
    memberId,
    generationId: UNKNOWN_GENERATION_ID,
    protocolType: null,
    protocolName: null,
    leaderId: UNKNOWN_MEMBER_ID,
    skipAssignment: false,
    error,
  };
}

/** Kafka's SyncGroupResult(error). */
export function syncGroupError(error: number): SyncGroupResult {
  return { protocolType: null, protocolName: null, assignment: EMPTY, error };
}

export class MemberMetadata {
  /** Answers the parked JoinGroup request; set while the member awaits a rebalance. */
  awaitingJoinCallback: ((result: JoinGroupResult) => void) | null = null;
  /** Answers the parked SyncGroup request; set while the member awaits its assignment. */
  awaitingSyncCallback: ((result: SyncGroupResult) => void) | null = null;
  /** Joined in the current rebalance and has not yet received a JoinGroup response. */
  isNew = false;
  heartbeatSatisfied = false;
  assignment: Buffer = EMPTY;

  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  readonly protocolType: string;
  supportedProtocols: GroupProtocol[];

  constructor(init: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    rebalanceTimeoutMs: number;
    sessionTimeoutMs: number;
    protocolType: string;
    supportedProtocols: GroupProtocol[];
  }) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.supportedProtocols = init.supportedProtocols;
  }

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoinCallback !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSyncCallback !== null;
  }

  /** The names of the supported protocols. */
  protocols(): Set<string> {
    return new Set(this.supportedProtocols.map((p) => p.name));
  }

  /** The member's metadata for `protocol`; throws if it does not support it. */
  metadata(protocol: string): Buffer {
    const found = this.supportedProtocols.find((p) => p.name === protocol);
    if (!found) throw new RangeError(`Member ${this.memberId} does not support protocol ${protocol}`);
    return found.metadata;
  }

  /**
   * Whether the member's session is alive: new members must heartbeat (they may be expired while
   * awaiting join); members parked in JoinGroup or SyncGroup satisfy heartbeats automatically.
   */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return this.heartbeatSatisfied;
    if (this.isAwaitingJoin || this.isAwaitingSync) return true;
    return this.heartbeatSatisfied;
  }

  /** True when `protocols` are the same, in the same order and with the same metadata. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i]!;
      return p.name === mine.name && p.metadata.equals(mine.metadata);
    });
  }

  /** The member's vote: its most preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string {
    const found = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (!found) throw new RangeError(`Member ${this.memberId} does not support any of the candidate protocols`);
    return found.name;
  }

  summary(protocol: string): MemberSummary {
    return { ...this.identity(), metadata: this.metadata(protocol), assignment: this.assignment };
  }

  summaryNoMetadata(): MemberSummary {
    return { ...this.identity(), metadata: EMPTY, assignment: EMPTY };
  }

  private identity() {
    return {
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      clientId: this.clientId,
      clientHost: this.clientHost,
    };
  }

  toString(): string {
    return (
      `MemberMetadata(memberId=${this.memberId}, groupInstanceId=${this.groupInstanceId ?? 'None'}, ` +
      `clientId=${this.clientId}, clientHost=${this.clientHost}, sessionTimeoutMs=${this.sessionTimeoutMs}, ` +
      `rebalanceTimeoutMs=${this.rebalanceTimeoutMs}, supportedProtocols=List(${this.supportedProtocols.map((p) => p.name).join(', ')}))`
    );
  }
}
