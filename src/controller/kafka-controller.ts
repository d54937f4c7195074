/**
 * KafkaController: the classic ZooKeeper-mode controller of Kafka 3.9 (core/.../controller/KafkaController.scala).
 *
 * Every broker runs one. It watches /controller; the broker that creates it (bumping /controller_epoch in the
 * same multi) is the active controller until its session ends or another broker takes over. ZooKeeper watch
 * callbacks, broker responses and API calls only enqueue events; one event is handled at a time.
 *
 * Election: at startup, when /controller is deleted, and after a session expiry (re-register /brokers/ids/<id>,
 * report the new broker epoch, then elect). Failover: /feature, handlers and watches, context from ZooKeeper
 * (topic ids added where missing), UpdateMetadata to every live broker, replica and partition state machines,
 * resumed reassignments, topic deletions and preferred elections, the auto-rebalance task. Resignation (another controller,
 * or a fenced write failed with ControllerMovedError): handlers, context and channels are dropped.
 * The admin APIs the controller serves (AlterPartitionReassignments, ListPartitionReassignments, ElectLeaders)
 * are events too; their callers get NOT_CONTROLLER if this broker is not, or stops being, the controller.
 */
import type { KafkaConfig } from '../config/broker-config';
import { KafkaScheduler } from '../common/scheduler';
import { SystemTime, type Time } from '../common/time';
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import { ControllerMovedError } from '../zk/zk-errors';
import type { ZkSession } from '../zk/zk-session';
import type { BrokerInfo } from '../zk/zk-types';
import { ClusterChangeHandler } from './cluster-change-handler';
import { type ControlRequest, ControllerChannelManager, type ControllerChannelManagerOptions } from './controller-channel-manager';
import type { ControllerComponents } from './controller-components';
import { ControllerContext } from './controller-context';
import { ControllerEventManager } from './controller-event-manager';
import {
  type AlterReassignmentsResult,
  type ControllerEvent,
  type ElectionResultEntry,
  type ListReassignmentsResult,
  controllerStateOf,
  describeEvent,
} from './controller-events';
import { type ControllerLogger, type ControllerLogging, StateChangeLogger } from './controller-logger';
import { ControllerBrokerRequestBatch, ControllerIllegalStateError } from './controller-request-batch';
import { type TopicPartition, partitionKey, scalaMap } from './controller-types';
import { ErrorCode } from '../protocol';
import { ControllerPaths, ControllerWatches } from './controller-watches';
import { ControllerZkClient } from './controller-zk-client';
import type { ElectionTypeValue } from './election';
import { ElectionTrigger, LeaderElectionHandler } from './leader-election-handler';
import { PartitionReassignmentHandler } from './partition-reassignment-handler';
import { answerApiEvent, failApiEvent } from './controller-api-events';
import { PartitionStateMachine } from './partition-state-machine';
import { ReplicaStateMachine } from './replica-state-machine';
import { TopicDeletionManager } from './topic-deletion-manager';

/** What the broker passes to its controller. */
export interface KafkaControllerOptions {
  config: KafkaConfig;
  zkClient: KafkaZkClient;
  zkSession: ZkSession;
  logging: ControllerLogging;
  time?: Time;
  /** What the broker registered in /brokers/ids/<id>; registered again after a session expiry. */
  brokerInfo: BrokerInfo;
  /** The broker epoch of the current registration, if the broker registered already. */
  brokerEpoch?: number;
  /** Told the new broker epoch after a re-registration (session expiry). */
  onBrokerEpochChange?: (epoch: number) => void;
  /** Test hook: how the channel manager opens connections to brokers. */
  connectionFactory?: ControllerChannelManagerOptions['connectionFactory'];
}

export class KafkaController {
  private readonly config: KafkaConfig;
  private readonly brokerId: number;
  private readonly time: Time;
  private readonly logger: ControllerLogger;
  private readonly stateChangeLogger: StateChangeLogger;
  private readonly zk: ControllerZkClient;
  private readonly session: ZkSession;
  private readonly context = new ControllerContext();
  private readonly eventManager: ControllerEventManager<ControllerEvent>;
  private readonly channelManager: ControllerChannelManager;
  private readonly requestBatch: ControllerBrokerRequestBatch;
  private readonly partitionStateMachine: PartitionStateMachine;
  private readonly replicaStateMachine: ReplicaStateMachine;
  private readonly topicDeletionManager: TopicDeletionManager;
  private readonly watches: ControllerWatches;
  private readonly clusterChanges: ClusterChangeHandler;
  private readonly elections: LeaderElectionHandler;
  private readonly reassignments: PartitionReassignmentHandler;
  private readonly brokerInfo: BrokerInfo;
  private scheduler: KafkaScheduler | undefined;
  private activeControllerIdValue = -1;
  private brokerEpochValue: number;
  private started = false;
  private readonly onSessionExpired = () => this.eventManager.clearAndPut({ type: 'Expire' });
  private readonly onSessionReestablished = () => this.eventManager.put({ type: 'RegisterBrokerAndReelect' });

  constructor(private readonly opts: KafkaControllerOptions) {
    this.config = opts.config;
    this.brokerId = opts.config.brokerId;
    this.time = opts.time ?? new SystemTime();
    this.brokerInfo = opts.brokerInfo;
    this.brokerEpochValue = opts.brokerEpoch ?? -1;
    this.logger = opts.logging.logger('kafka.controller.KafkaController', `Controller id=${this.brokerId}`);
    this.stateChangeLogger = new StateChangeLogger(opts.logging, this.brokerId);
    this.zk = new ControllerZkClient(opts.zkClient, this.logger);
    this.session = opts.zkSession;
    const put = (event: ControllerEvent) => {
      this.eventManager.put(event);
    };
    this.eventManager = new ControllerEventManager<ControllerEvent>({
      processor: { process: (e) => this.process(e), preempt: (e) => this.preempt(e) },
      time: this.time,
      logger: opts.logging.logger('kafka.controller.ControllerEventManager', `ControllerEventThread controllerId=${this.brokerId}`),
      describe: describeEvent,
      stateOf: controllerStateOf,
    });
    this.channelManager = new ControllerChannelManager({
      controllerId: this.brokerId,
      interBrokerListenerName: this.config.interBrokerListenerName,
      socketTimeoutMs: this.config.controllerSocketTimeoutMs,
      requestTimeoutMs: this.config.requestTimeoutMs,
      controllerEpoch: () => this.context.epoch,
      logging: opts.logging,
      connectionFactory: opts.connectionFactory,
    });
    const newBatch = () => new ControllerBrokerRequestBatch({
      controllerId: this.brokerId,
      context: this.context,
      sendRequest: (brokerId: number, request: ControlRequest) => this.channelManager.sendRequest(brokerId, request),
      sendEvent: put,
      stateChangeLogger: this.stateChangeLogger,
      logger: this.logger,
      interBrokerListenerName: this.config.interBrokerListenerName,
    });
    this.requestBatch = newBatch();
    this.replicaStateMachine = new ReplicaStateMachine({
      controllerId: this.brokerId,
      context: this.context,
      zkClient: this.zk,
      requestBatch: newBatch(),
      stateChangeLogger: this.stateChangeLogger,
      logger: opts.logging.logger('kafka.controller.ZkReplicaStateMachine', `ReplicaStateMachine controllerId=${this.brokerId}`),
    });
    this.partitionStateMachine = new PartitionStateMachine({
      controllerId: this.brokerId,
      context: this.context,
      zkClient: this.zk,
      requestBatch: newBatch(),
      stateChangeLogger: this.stateChangeLogger,
      logger: opts.logging.logger('kafka.controller.ZkPartitionStateMachine', `PartitionStateMachine controllerId=${this.brokerId}`),
      uncleanLeaderElectionEnable: () => this.config.uncleanLeaderElectionEnable,
    });
    this.watches = new ControllerWatches(this.session, put);
    this.topicDeletionManager = new TopicDeletionManager({
      deleteTopicEnable: this.config.deleteTopicEnable,
      context: this.context,
      replicaStateMachine: this.replicaStateMachine,
      partitionStateMachine: this.partitionStateMachine,
      logger: opts.logging.logger('kafka.controller.TopicDeletionManager', `Topic Deletion Manager ${this.brokerId}`),
      client: {
        deleteTopic: (topic, v) => this.zk.deleteTopic(topic, v),
        deleteTopicDeletions: (topics, v) => this.zk.deleteTopicDeletions(topics, v),
        mutePartitionModifications: (topic) => this.watches.unregisterPartitionModificationsHandlers([topic]),
        sendMetadataUpdate: (partitions) => this.sendUpdateMetadataRequestSync(this.context.liveOrShuttingDownBrokerIds, partitions),
      },
    });
    const components: ControllerComponents = {
      brokerId: this.brokerId,
      config: this.config,
      context: this.context,
      zk: this.zk,
      watches: this.watches,
      channelManager: this.channelManager,
      requestBatch: this.requestBatch,
      partitionStateMachine: this.partitionStateMachine,
      replicaStateMachine: this.replicaStateMachine,
      topicDeletionManager: this.topicDeletionManager,
      reassignments: {
        maybeCompleteReassignment: (tp) => this.reassignments.maybeCompleteReassignment(tp),
        maybeResumeReassignmentsForBrokers: (ids) => this.reassignments.maybeResumeReassignmentsForBrokers(ids),
      },
      logger: this.logger,
      stateChangeLogger: this.stateChangeLogger,
      put,
      isActive: () => this.isActive,
      sendUpdateMetadataRequest: (brokers, partitions) => this.sendUpdateMetadataRequest(brokers, partitions),
    };
    this.clusterChanges = new ClusterChangeHandler(components);
    this.elections = new LeaderElectionHandler(components);
    this.reassignments = new PartitionReassignmentHandler(components);
  }

  // ---- public API ----------------------------------------------------------------------------------------

  /** True while this broker is the active controller. */
  get isActive(): boolean {
    return this.activeControllerIdValue === this.brokerId;
  }

  /** The controller id last read from /controller, -1 when there is none. */
  get activeControllerId(): number {
    return this.activeControllerIdValue;
  }

  /** This controller's epoch (0 until it has been elected once). */
  get epoch(): number {
    return this.context.epoch;
  }

  /** The broker epoch of the current registration (czxid of /brokers/ids/<id>). */
  get brokerEpoch(): number {
    return this.brokerEpochValue;
  }

  /**
   * Registers the /controller handler and the session-state handlers, then enqueues Startup (election). Resolves
   * once that first election has been handled.
   */
  async startup(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.session.on('sessionExpired', this.onSessionExpired);
    this.session.on('sessionReestablished', this.onSessionReestablished);
    const startup = this.eventManager.put({ type: 'Startup' });
    this.eventManager.start();
    await startup.processed;
  }

  /** Stops the event queue (the event in progress finishes), resigns if active and closes the channels. */
  async shutdown(): Promise<void> {
    this.session.off('sessionExpired', this.onSessionExpired);
    this.session.off('sessionReestablished', this.onSessionReestablished);
    await this.eventManager.close();
    this.watches.unregisterControllerChangeHandler();
    await this.onControllerResignation();
    this.activeControllerIdValue = -1;
  }

  /**
   * ControlledShutdown of broker `brokerId`: leadership moves off it. Resolves with the partitions it still
   * leads; rejects with ControllerMovedError if this broker is not (or stops being) the controller, or with
   * StaleBrokerEpochError / BrokerNotAvailableError.
   */
  controlledShutdown(brokerId: number, brokerEpoch: number): Promise<TopicPartition[]> {
    return new Promise((resolve, reject) => {
      this.eventManager.put({
        type: 'ControlledShutdown',
        brokerId,
        brokerEpoch,
        callback: (result) => ('error' in result ? reject(result.error) : resolve(result.partitionsRemaining)),
      });
    });
  }

  /**
   * AlterPartitionReassignments: starts (replicas) or cancels (null) reassignments. Resolves with a request-level
   * error (NOT_CONTROLLER) or one result per partition.
   */
  alterPartitionReassignments(
    reassignments: ReadonlyArray<{ tp: TopicPartition; replicas: readonly number[] | null }>,
  ): Promise<AlterReassignmentsResult> {
    return new Promise((resolve) => {
      this.eventManager.put({ type: 'ApiPartitionReassignment', reassignments, callback: resolve });
    });
  }

  /** ListPartitionReassignments: the given partitions (null: all) that are being reassigned. */
  listPartitionReassignments(partitions: readonly TopicPartition[] | null): Promise<ListReassignmentsResult> {
    return new Promise((resolve) => {
      this.eventManager.put({ type: 'ListPartitionReassignments', partitions, callback: resolve });
    });
  }

  /** ElectLeaders (PREFERRED or UNCLEAN): per partition, the new leader or why there is none. */
  electLeaders(partitions: readonly TopicPartition[], electionType: ElectionTypeValue): Promise<ElectionResultEntry[]> {
    return new Promise((resolve) => {
      this.eventManager.put({ type: 'ReplicaLeaderElection', partitions, electionType, callback: resolve });
    });
  }

  /** Runs `fn` on the controller's event loop (between events); for tests and diagnostics. */
  runOnEventLoop(name: string, fn: () => Promise<void> | void): Promise<void> {
    return this.eventManager.put({ type: 'Callback', name, run: fn }).processed;
  }

  /** Snapshot accessors for diagnostics and tests. */
  get controllerContext(): ControllerContext {
    return this.context;
  }

  /** Resolves once every request queued to brokers has been sent and answered. */
  async awaitChannelIdle(): Promise<void> {
    await this.channelManager.idle();
  }

  // ---- event processing ----------------------------------------------------------------------------------

  private async process(event: ControllerEvent): Promise<void> {
    try {
      switch (event.type) {
        case 'Startup':
          this.watches.registerControllerChangeHandler();
          await this.session.exists(ControllerPaths.controller, { watch: true });
          await this.elect();
          return;
        case 'ControllerChange':
          await this.maybeResign();
          return;
        case 'Reelect':
          await this.maybeResign();
          await this.elect();
          return;
        case 'RegisterBrokerAndReelect':
          this.brokerEpochValue = await this.opts.zkClient.registerBroker(this.brokerInfo);
          this.logger.info(`Re-registered broker ${this.brokerId} with broker epoch ${this.brokerEpochValue}`);
          this.opts.onBrokerEpochChange?.(this.brokerEpochValue);
          await this.maybeResign();
          await this.elect();
          return;
        case 'Expire':
          this.activeControllerIdValue = -1;
          await this.onControllerResignation();
          return;
        case 'BrokerChange':
          return await this.clusterChanges.processBrokerChange();
        case 'BrokerModifications':
          return await this.clusterChanges.processBrokerModification(event.brokerId);
        case 'TopicChange':
          return await this.clusterChanges.processTopicChange();
        case 'PartitionModifications':
          return await this.clusterChanges.processPartitionModifications(event.topic);
        case 'TopicDeletion':
          return await this.clusterChanges.processTopicDeletion();
        case 'TopicDeletionStopReplicaResponseReceived':
          return await this.clusterChanges.processTopicDeletionStopReplicaResponseReceived(event);
        case 'LeaderAndIsrResponseReceived':
          return await this.clusterChanges.processLeaderAndIsrResponseReceived(event);
        case 'UpdateMetadataResponseReceived':
          return this.clusterChanges.processUpdateMetadataResponseReceived(event);
        case 'PreferredReplicaElection':
          return await this.elections.processZkPreferredReplicaElection();
        case 'AutoPreferredReplicaLeaderElection':
          return await this.processAutoPreferredReplicaLeaderElection();
        case 'IsrChangeNotification':
          return await this.elections.processIsrChangeNotification();
        case 'ControlledShutdown': {
          // As Kafka's Try: the caller gets the outcome, whatever it is; only a batch left in an illegal state
          // also makes this controller resign.
          try {
            event.callback({ partitionsRemaining: await this.elections.doControlledShutdown(event.brokerId, event.brokerEpoch) });
          } catch (e) {
            event.callback({ error: e instanceof Error ? e : new Error(String(e)) });
            if (e instanceof ControllerIllegalStateError) throw e;
          }
          return;
        }
        case 'ZkPartitionReassignment':
          await this.reassignments.processZkPartitionReassignment();
          return;
        case 'PartitionReassignmentIsrChange':
          return await this.reassignments.processPartitionReassignmentIsrChange(event.tp);
        case 'ApiPartitionReassignment':
          return await answerApiEvent(event, () => this.reassignments.processApiPartitionReassignment(event.reassignments));
        case 'ListPartitionReassignments':
          event.callback(this.reassignments.processListPartitionReassignments(event.partitions));
          return;
        case 'ReplicaLeaderElection':
          return await answerApiEvent(event, () => this.elections.processReplicaLeaderElection(event.partitions, event.electionType));
        case 'Callback':
          await event.run();
          return;
      }
    } catch (e) {
      if (e instanceof ControllerMovedError) {
        this.logger.info(`Controller moved to another broker when processing ${describeEvent(event)}.`, e);
        await this.maybeResign();
      } else if (e instanceof ControllerIllegalStateError) {
        this.logger.error('Forcing the controller to resign', e);
        this.requestBatch.clear();
        await this.triggerControllerMove();
      } else {
        this.logger.error(`Error processing event ${describeEvent(event)}`, e);
      }
    }
  }

  /** An event that will never run: answer its caller. */
  private preempt(event: ControllerEvent): void {
    if (event.type === 'ControlledShutdown') {
      event.callback({ error: new ControllerMovedError('Controller moved to another broker') });
    } else if (event.type === 'ApiPartitionReassignment' || event.type === 'ListPartitionReassignments' ||
      event.type === 'ReplicaLeaderElection') {
      failApiEvent(event, ErrorCode.NOT_CONTROLLER);
    }
  }


  // ---- election, failover, resignation -------------------------------------------------------------------

  private async elect(): Promise<void> {
    this.activeControllerIdValue = (await this.opts.zkClient.getControllerId()) ?? -1;
    // The controller may already have been elected between the deletion and this event.
    if (this.activeControllerIdValue !== -1) {
      this.logger.debug(`Broker ${this.activeControllerIdValue} has been elected as the controller, so stopping the election process.`);
      return;
    }
    try {
      const { epoch, epochZkVersion } = await this.opts.zkClient.registerControllerAndIncrementControllerEpoch(this.brokerId);
      this.context.epoch = epoch;
      this.context.epochZkVersion = epochZkVersion;
      this.activeControllerIdValue = this.brokerId;
      this.logger.info(`${this.brokerId} successfully elected as the controller. Epoch incremented to ${epoch} and ` +
        `epoch zk version is now ${epochZkVersion}`);
      await this.onControllerFailover();
    } catch (e) {
      if (e instanceof ControllerMovedError) {
        await this.maybeResign();
        if (this.activeControllerIdValue !== -1) {
          this.logger.debug(`Broker ${this.activeControllerIdValue} was elected as controller instead of broker ${this.brokerId}`, e);
        } else {
          this.logger.warn('A controller has been elected but just resigned, this will result in another round of election', e);
        }
      } else {
        this.logger.error(`Error while electing or becoming controller on broker ${this.brokerId}. ` +
          'Trigger controller movement immediately', e);
        await this.triggerControllerMove();
      }
    }
  }

  private async onControllerFailover(): Promise<void> {
    const result = await this.zk.ensureFeatureZNodeEnabled(this.context.epochZkVersion);
    if (result !== 'unchanged') this.logger.info(`${result === 'created' ? 'Created' : 'Enabled'} /feature (feature versioning)`);
    this.logger.info('Registering handlers');
    this.watches.registerFailoverHandlers();
    await this.session.exists(ControllerPaths.preferredReplicaElection, { watch: true });
    await this.session.exists(ControllerPaths.reassignPartitions, { watch: true });
    this.logger.info('Deleting isr change notifications');
    await this.opts.zkClient.deleteIsrChangeNotifications(this.context.epochZkVersion);
    this.logger.info('Initializing controller context');
    await this.initializeControllerContext();
    this.logger.info('Fetching topic deletions in progress');
    const { toDelete, ineligible } = await this.fetchTopicDeletionsInProgress();
    this.logger.info('Initializing topic deletion manager');
    await this.topicDeletionManager.init(toDelete, ineligible);
    // Brokers need the live brokers before the LeaderAndIsr requests the state machines are about to send.
    this.logger.info('Sending update metadata request');
    await this.sendUpdateMetadataRequest(this.context.liveOrShuttingDownBrokerIds, []);
    await this.replicaStateMachine.startup();
    await this.partitionStateMachine.startup();
    this.logger.info(`Ready to serve as the new controller with epoch ${this.context.epoch}`);
    await this.reassignments.initializePartitionReassignments();
    await this.topicDeletionManager.tryTopicDeletion();
    const pending = await this.elections.fetchPendingPreferredReplicaElections();
    await this.elections.onReplicaElection(pending, ElectionTrigger.ZkTriggered);
    this.logger.info('Starting the controller scheduler');
    this.scheduler = new KafkaScheduler({ logger: this.logger });
    if (this.config.autoLeaderRebalanceEnable) this.scheduleAutoLeaderRebalanceTask(5000);
  }

  private async initializeControllerContext(): Promise<void> {
    const brokers = await this.zk.getAllBrokerAndEpochsInCluster();
    this.context.setLiveBrokers(brokers);
    this.logger.info(`Initialized broker epochs cache: ${scalaMap(this.context.liveBrokerIdAndEpochs(), { key: String, value: String })}`);
    this.context.setAllTopics(await this.zk.getAllTopicsInCluster(true));
    const topics = [...this.context.allTopics];
    this.watches.registerPartitionModificationsHandlers(topics);
    const assignments = (await this.zk.getReplicaAssignmentAndTopicIdForTopics(topics, { watch: true }))
      .filter((a) => a.assignment.size > 0 || a.topicId !== null);
    await this.clusterChanges.processTopicIds(assignments);
    for (const a of assignments) {
      for (const [partition, ra] of a.assignment) {
        const tp = { topic: a.topic, partition };
        this.context.updatePartitionFullReplicaAssignment(tp, ra);
        if (ra.isBeingReassigned) this.context.partitionsBeingReassigned.set(partitionKey(tp), tp);
      }
    }
    this.context.clearPartitionLeadershipInfo();
    this.context.shuttingDownBrokerIds.clear();
    await this.watches.registerBrokerModificationsHandlers(this.context.liveOrShuttingDownBrokerIds);
    const states = await this.zk.getTopicPartitionStates(this.context.allPartitions);
    for (const tp of this.context.allPartitions) {
      const state = states.get(partitionKey(tp));
      if (state) this.context.putPartitionLeadershipInfo(tp, state);
    }
    this.channelManager.startup(this.context.liveOrShuttingDownBrokers);
    this.logger.info(`Currently active brokers in the cluster: ${[...this.context.liveBrokerIds].join(',')}`);
    this.logger.info(`Currently shutting brokers in the cluster: ${[...this.context.shuttingDownBrokerIds].join(',')}`);
    this.logger.info(`Current list of topics in the cluster: ${[...this.context.allTopics].join(',')}`);
  }

  private async fetchTopicDeletionsInProgress(): Promise<{ toDelete: Set<string>; ineligible: Set<string> }> {
    const toDelete = new Set(await this.zk.getTopicDeletions());
    const ineligible = new Set<string>();
    for (const topic of this.context.allTopics) {
      if (this.context.replicasForTopic(topic).some((r) => !this.context.isReplicaOnline(r.replica, r))) ineligible.add(topic);
    }
    for (const tp of this.context.partitionsBeingReassigned.values()) ineligible.add(tp.topic);
    this.logger.info(`List of topics to be deleted: ${[...toDelete].join(',')}`);
    this.logger.info(`List of topics ineligible for deletion: ${[...ineligible].join(',')}`);
    return { toDelete, ineligible };
  }

  private async onControllerResignation(): Promise<void> {
    this.logger.debug('Resigning');
    this.watches.unregisterFailoverHandlers();
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    if (scheduler !== undefined) await scheduler.shutdown();
    this.partitionStateMachine.shutdown();
    this.replicaStateMachine.shutdown();
    this.channelManager.shutdown();
    this.requestBatch.clear();
    this.context.resetContext();
    this.logger.info('Resigned');
  }

  /** Re-arms the /controller watch, reads the controller id, and resigns if this broker lost the role. */
  private async maybeResign(): Promise<void> {
    const wasActive = this.isActive;
    this.watches.registerControllerChangeHandler();
    await this.session.exists(ControllerPaths.controller, { watch: true });
    this.activeControllerIdValue = (await this.opts.zkClient.getControllerId({ watch: true })) ?? -1;
    if (wasActive && !this.isActive) await this.onControllerResignation();
  }

  /** Gives up the controller role after an unexpected error so that another election happens. */
  private async triggerControllerMove(): Promise<void> {
    this.activeControllerIdValue = (await this.opts.zkClient.getControllerId()) ?? -1;
    if (!this.isActive) {
      this.logger.warn('Controller has already moved when trying to trigger controller movement');
      return;
    }
    try {
      const expectedEpochZkVersion = this.context.epochZkVersion;
      this.activeControllerIdValue = -1;
      await this.onControllerResignation();
      await this.opts.zkClient.deleteController(expectedEpochZkVersion);
    } catch (e) {
      if (!(e instanceof ControllerMovedError)) throw e;
      this.logger.warn('Controller has already moved when trying to trigger controller movement', e);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /**
   * UpdateMetadata for `partitions` to `brokers`. A batch left non-empty means lost requests: the
   * ControllerIllegalStateError propagates and the event loop makes this controller resign, as Kafka does.
   */
  private async sendUpdateMetadataRequest(brokers: Iterable<number>, partitions: Iterable<TopicPartition>): Promise<void> {
    this.sendUpdateMetadataRequestSync(brokers, partitions);
  }

  private sendUpdateMetadataRequestSync(brokers: Iterable<number>, partitions: Iterable<TopicPartition>): void {
    this.requestBatch.newBatch();
    this.requestBatch.addUpdateMetadataRequestForBrokers(brokers, partitions);
    this.requestBatch.sendRequestsToBrokers(this.context.epoch);
  }

  private scheduleAutoLeaderRebalanceTask(delayMs: number): void {
    this.scheduler?.schedule('auto-leader-rebalance-task',
      () => {
        this.eventManager.put({ type: 'AutoPreferredReplicaLeaderElection' });
      }, { delayMs });
  }

  private async processAutoPreferredReplicaLeaderElection(): Promise<void> {
    if (!this.isActive) return;
    try {
      this.logger.info('Processing automatic preferred replica leader election');
      await this.elections.checkAndTriggerAutoLeaderRebalance();
    } finally {
      this.scheduleAutoLeaderRebalanceTask(this.config.leaderImbalanceCheckIntervalSeconds * 1000);
    }
  }
}
