/**
 * The broker's request/response API: the "protocol" every client and every broker speaks.
 * Each request maps onto one Kafka API (its key in {@link API_KEYS}) and carries the fields a
 * real client sends in the version named beside it, in camelCase, with offsets as numbers and
 * errors as stable {@link ErrorCode} strings (absent when there is none). Records travel as
 * RecordBatch v2 bytes, exactly as on the wire. A later wire listener is a codec between bytes
 * and these objects; the in-process transport passes them as they are.
 *
 * Requests and responses are plain data: a handler must not keep or change a request's
 * objects after it answers, except record bytes a produce hands over to the log.
 */
import type { ErrorCode } from '../common/errors.js'

/** A broker id (Kafka's `broker.id`, 0..n-1 in a logkeeper cluster). */
export type BrokerId = number

/** The replica id of a fetch or list-offsets from a consumer (not a follower). */
export const CONSUMER_REPLICA_ID = -1

/** A leader id meaning "no leader" (the partition is offline). */
export const NO_LEADER = -1

/** Where one broker can be reached, as Metadata lists it. */
export interface BrokerInfo {
  /** The broker id. */
  readonly nodeId: BrokerId
  /** Host name (`logkeeper-<id>` in process; a real address once a listener exists). */
  readonly host: string
  /** Port (9092 + id in process). */
  readonly port: number
  /** The rack, when configured (`broker.rack`). */
  readonly rack: string | null
}

/** An error in a response: a code, and a message when the broker has more to say. */
export interface ResponseError {
  /** The error; absent (undefined) means success. */
  readonly error?: ErrorCode
  /** A human explanation of the error. */
  readonly errorMessage?: string
}

// ---------------------------------------------------------------------------------------
// Metadata (key 3, v4)

/** Metadata (key 3): brokers, controller and topics. */
export interface MetadataRequest {
  /** Topics to describe; `null` means all (internal ones included). */
  readonly topics: readonly string[] | null
  /** Create missing topics with the defaults when `auto.create.topics.enable` is on. */
  readonly allowAutoTopicCreation: boolean
}

/** One partition in a {@link MetadataResponse}. */
export interface PartitionMetadata extends ResponseError {
  /** The partition index. */
  readonly partition: number
  /** The leader's broker id, or {@link NO_LEADER}. */
  readonly leader: BrokerId
  /** The leader epoch. */
  readonly leaderEpoch: number
  /** All replicas, the preferred leader first. */
  readonly replicas: readonly BrokerId[]
  /** The in-sync replicas. */
  readonly isr: readonly BrokerId[]
  /** Replicas on brokers that are down. */
  readonly offlineReplicas: readonly BrokerId[]
}

/** One topic in a {@link MetadataResponse}. */
export interface TopicMetadata extends ResponseError {
  /** The topic name. */
  readonly name: string
  /** Whether the topic is internal (`__consumer_offsets`). */
  readonly isInternal: boolean
  /** Its partitions, by index. */
  readonly partitions: readonly PartitionMetadata[]
}

/** Answer to {@link MetadataRequest}. */
export interface MetadataResponse {
  /** The live brokers. */
  readonly brokers: readonly BrokerInfo[]
  /** The cluster id. */
  readonly clusterId: string
  /** The controller's broker id, or -1 while there is none. */
  readonly controllerId: BrokerId
  /** The topics asked for (an unknown one with `UNKNOWN_TOPIC_OR_PARTITION`). */
  readonly topics: readonly TopicMetadata[]
}

// ---------------------------------------------------------------------------------------
// Produce (key 0, v7)

/** The records for one partition of a produce: exactly one RecordBatch v2 (as Produce v3+). */
export interface ProducePartitionData {
  /** The partition index. */
  readonly partition: number
  /** One record batch. The broker takes ownership of these bytes (it patches the offsets). */
  readonly records: Uint8Array
}

/** Produce (key 0). */
export interface ProduceRequest {
  /** 0: no answer is awaited; 1: the leader appended; -1: every ISR member has it. */
  readonly acks: -1 | 0 | 1
  /** How long the leader waits for the ISR with acks=-1 before `REQUEST_TIMED_OUT`. */
  readonly timeoutMs: number
  /**
   * The batches were encoded in this process by logkeeper's own producer: the leader may skip
   * its CRC check (see `AppendOptions.verifyCrc`). Never set for bytes from elsewhere.
   */
  readonly trusted?: boolean
  /** The data, per topic. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly ProducePartitionData[]
  }[]
}

/** One partition's result in a {@link ProduceResponse}. */
export interface ProducePartitionResponse extends ResponseError {
  /** The partition index. */
  readonly partition: number
  /** Offset of the batch's first record (-1 on error). */
  readonly baseOffset: number
  /** The append time with LogAppendTime, else -1. */
  readonly logAppendTimeMs: number
  /** The partition's log start offset. */
  readonly logStartOffset: number
}

/** Answer to {@link ProduceRequest}. */
export interface ProduceResponse {
  /** Results per topic, in request order. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly ProducePartitionResponse[]
  }[]
}

// ---------------------------------------------------------------------------------------
// Fetch (key 1, v12: followers learn about divergence from the fetch itself, KIP-595)

/** One partition of a {@link FetchRequest}. */
export interface FetchPartition {
  /** The partition index. */
  readonly partition: number
  /** The first offset wanted. */
  readonly fetchOffset: number
  /** The leader epoch the fetcher believes current, or -1 to skip the check. */
  readonly currentLeaderEpoch: number
  /**
   * Followers: the epoch of the last batch in their log (-1 if empty). The leader answers
   * `divergingEpoch` when its own log ends that epoch earlier, and the follower truncates.
   */
  readonly lastFetchedEpoch: number
  /** The most bytes wanted from this partition (at least one whole batch is always sent). */
  readonly partitionMaxBytes: number
}

/** Fetch (key 1). */
export interface FetchRequest {
  /** The follower's broker id, or {@link CONSUMER_REPLICA_ID}. */
  readonly replicaId: BrokerId
  /** How long the leader may hold the request while fewer than `minBytes` are ready. */
  readonly maxWaitMs: number
  /** Answer as soon as this many bytes are ready. */
  readonly minBytes: number
  /** The most bytes in the response (at least one whole batch is always sent). */
  readonly maxBytes: number
  /** 0 read_uncommitted, 1 read_committed (the same here: no transactions). */
  readonly isolationLevel: 0 | 1
  /** The partitions wanted, per topic. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly FetchPartition[]
  }[]
  /** Aborts a held fetch (the fetcher stopped); the leader then answers at once. */
  readonly signal?: AbortSignal
}

/** One partition of a {@link FetchResponse}. */
export interface FetchPartitionResponse extends ResponseError {
  /** The partition index. */
  readonly partition: number
  /** The leader's high watermark. */
  readonly highWatermark: number
  /** The last stable offset (the high watermark: there are no transactions). */
  readonly lastStableOffset: number
  /** The leader's log start offset. */
  readonly logStartOffset: number
  /**
   * Set when the follower's log diverges from the leader's: the follower's `lastFetchedEpoch`
   * ends at `endOffset` on the leader (`epoch` is the largest epoch ≤ the follower's).
   */
  readonly divergingEpoch?: { readonly epoch: number; readonly endOffset: number }
  /** Whole record batches from `fetchOffset` (maybe starting below it), possibly empty. */
  readonly records: Uint8Array
}

/** Answer to {@link FetchRequest}. */
export interface FetchResponse {
  /** Results per topic, in request order. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly FetchPartitionResponse[]
  }[]
}

// ---------------------------------------------------------------------------------------
// ListOffsets (key 2, v2)

/** Timestamp of ListOffsets meaning "the log end" (consumers: the high watermark). */
export const LATEST_OFFSET = -1
/** Timestamp of ListOffsets meaning "the log start". */
export const EARLIEST_OFFSET = -2

/** ListOffsets (key 2). */
export interface ListOffsetsRequest {
  /** {@link CONSUMER_REPLICA_ID} for clients (they see offsets up to the high watermark). */
  readonly replicaId: BrokerId
  /** 0 or 1 (the same here). */
  readonly isolationLevel: 0 | 1
  /** Partitions and the timestamp asked for ({@link LATEST_OFFSET}, {@link EARLIEST_OFFSET} or ms). */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly {
      readonly partition: number
      readonly timestamp: number
      readonly currentLeaderEpoch: number
    }[]
  }[]
}

/** One partition of a {@link ListOffsetsResponse}. */
export interface ListOffsetsPartitionResponse extends ResponseError {
  /** The partition index. */
  readonly partition: number
  /** The timestamp of the record found (-1 for latest / earliest). */
  readonly timestamp: number
  /** The offset found, -1 when no record has a timestamp at or after the one asked for. */
  readonly offset: number
  /** The leader epoch of that offset (-1 when unknown). */
  readonly leaderEpoch: number
}

/** Answer to {@link ListOffsetsRequest}. */
export interface ListOffsetsResponse {
  /** Results per topic, in request order. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly ListOffsetsPartitionResponse[]
  }[]
}

// ---------------------------------------------------------------------------------------
// InitProducerId (key 22, v1)

/** InitProducerId (key 22): a producer id and epoch for an idempotent producer. */
export interface InitProducerIdRequest {
  /** Always null: transactions are not supported. */
  readonly transactionalId: null
  /** Ignored without transactions. */
  readonly transactionTimeoutMs: number
}

/** Answer to {@link InitProducerIdRequest}. */
export interface InitProducerIdResponse extends ResponseError {
  /** A producer id unique in the cluster (blocks from `/latest_producer_id_block`). */
  readonly producerId: number
  /** The epoch (0 for a new id). */
  readonly producerEpoch: number
}

// ---------------------------------------------------------------------------------------
// Admin: CreateTopics (19, v3), DeleteTopics (20, v1), CreatePartitions (37, v1),
// DescribeConfigs (32), IncrementalAlterConfigs (44), DescribeCluster (60)

/** One topic of a {@link CreateTopicsRequest}. */
export interface CreatableTopic {
  /** The topic name. */
  readonly name: string
  /** Partitions, or -1 for `num.partitions` (ignored with `assignments`). */
  readonly numPartitions: number
  /** Replicas per partition, or -1 for `default.replication.factor` (ignored with `assignments`). */
  readonly replicationFactor: number
  /** Manual placement: the replicas of each partition, preferred leader first. */
  readonly assignments?: readonly {
    readonly partition: number
    readonly brokerIds: readonly BrokerId[]
  }[]
  /** Topic configs by Kafka's names (`retention.ms`, `cleanup.policy`, ...). */
  readonly configs?: Readonly<Record<string, string>>
}

/** CreateTopics (key 19). Sent to the controller. */
export interface CreateTopicsRequest {
  /** The topics. */
  readonly topics: readonly CreatableTopic[]
  /** How long to wait for leaders to be in place before answering `REQUEST_TIMED_OUT`. */
  readonly timeoutMs: number
  /** Check only; create nothing. */
  readonly validateOnly: boolean
}

/** One topic's result in a {@link CreateTopicsResponse}. */
export interface CreatableTopicResult extends ResponseError {
  /** The topic name. */
  readonly name: string
  /** The partitions it got (-1 on error). */
  readonly numPartitions: number
  /** The replication factor it got (-1 on error). */
  readonly replicationFactor: number
}

/** Answer to {@link CreateTopicsRequest}. */
export interface CreateTopicsResponse {
  /** One result per topic, in request order. */
  readonly topics: readonly CreatableTopicResult[]
}

/** DeleteTopics (key 20). Sent to the controller. */
export interface DeleteTopicsRequest {
  /** The topic names. */
  readonly topics: readonly string[]
  /** How long to wait for the deletion to finish. */
  readonly timeoutMs: number
}

/** Answer to {@link DeleteTopicsRequest}. */
export interface DeleteTopicsResponse {
  /** One result per topic, in request order (`TOPIC_DELETION_DISABLED` when only marked). */
  readonly responses: readonly ({ readonly name: string } & ResponseError)[]
}

/** CreatePartitions (key 37). Sent to the controller. */
export interface CreatePartitionsRequest {
  /** Per topic: the new total count, and optionally where the new partitions go. */
  readonly topics: readonly {
    readonly name: string
    readonly count: number
    readonly assignments?: readonly (readonly BrokerId[])[]
  }[]
  /** How long to wait for the new partitions' leaders. */
  readonly timeoutMs: number
  /** Check only. */
  readonly validateOnly: boolean
}

/** Answer to {@link CreatePartitionsRequest}. */
export interface CreatePartitionsResponse {
  /** One result per topic, in request order. */
  readonly results: readonly ({ readonly name: string } & ResponseError)[]
}

/** What a config resource is. */
export type ConfigResourceType = 'topic' | 'broker'

/** Where a config's value comes from (Kafka's `ConfigSource`). */
export type ConfigSource = 'topic' | 'broker-static' | 'default'

/** One config entry of a {@link DescribeConfigsResponse}. */
export interface ConfigEntry {
  /** Kafka's name, e.g. `retention.ms`. */
  readonly name: string
  /** The value as a string (Kafka's form), or null. */
  readonly value: string | null
  /** Whether it cannot be altered. */
  readonly readOnly: boolean
  /** Whether the value is the default. */
  readonly isDefault: boolean
  /** Where the value comes from. */
  readonly source: ConfigSource
  /** Always false (no secrets are configured). */
  readonly isSensitive: boolean
}

/** DescribeConfigs (key 32). */
export interface DescribeConfigsRequest {
  /** The resources; `configNames` null means all. */
  readonly resources: readonly {
    readonly type: ConfigResourceType
    readonly name: string
    readonly configNames: readonly string[] | null
  }[]
}

/** Answer to {@link DescribeConfigsRequest}. */
export interface DescribeConfigsResponse {
  /** One result per resource, in request order. */
  readonly results: readonly ({
    readonly type: ConfigResourceType
    readonly name: string
    readonly configs: readonly ConfigEntry[]
  } & ResponseError)[]
}

/** One change of an {@link IncrementalAlterConfigsRequest}. */
export interface AlterableConfig {
  /** Kafka's name. */
  readonly name: string
  /** `set` a value or `delete` it (back to the default). */
  readonly op: 'set' | 'delete'
  /** The value for `set`. */
  readonly value: string | null
}

/** IncrementalAlterConfigs (key 44): change some configs of topics, leave the rest. */
export interface IncrementalAlterConfigsRequest {
  /** The resources (only `topic` can be altered). */
  readonly resources: readonly {
    readonly type: ConfigResourceType
    readonly name: string
    readonly configs: readonly AlterableConfig[]
  }[]
  /** Check only. */
  readonly validateOnly: boolean
}

/** Answer to {@link IncrementalAlterConfigsRequest}. */
export interface IncrementalAlterConfigsResponse {
  /** One result per resource, in request order. */
  readonly results: readonly ({
    readonly type: ConfigResourceType
    readonly name: string
  } & ResponseError)[]
}

/** DescribeCluster (key 60). */
export type DescribeClusterRequest = Record<string, never>

/** Answer to {@link DescribeClusterRequest}. */
export interface DescribeClusterResponse extends ResponseError {
  /** The cluster id. */
  readonly clusterId: string
  /** The controller, or -1. */
  readonly controllerId: BrokerId
  /** The live brokers. */
  readonly brokers: readonly BrokerInfo[]
}

// ---------------------------------------------------------------------------------------
// Inter-broker: LeaderAndIsr (4), StopReplica (5), UpdateMetadata (6). Controller → broker.

/** The state of one partition, as the controller last wrote it to the coordinator. */
export interface PartitionState {
  /** The topic. */
  readonly topic: string
  /** The partition index. */
  readonly partition: number
  /** Epoch of the controller that wrote this state. */
  readonly controllerEpoch: number
  /** The leader, or {@link NO_LEADER}. */
  readonly leader: BrokerId
  /** The leader epoch. */
  readonly leaderEpoch: number
  /** The in-sync replicas. */
  readonly isr: readonly BrokerId[]
  /** The version of the state znode (Kafka's `zkVersion` / partition epoch), for conditional ISR writes. */
  readonly zkVersion: number
  /** All replicas, preferred leader first. */
  readonly replicas: readonly BrokerId[]
}

/** LeaderAndIsr (key 4): become leader or follower of these partitions. */
export interface LeaderAndIsrRequest {
  /** The controller sending it. */
  readonly controllerId: BrokerId
  /** Its epoch; a broker refuses an older one (`STALE_CONTROLLER_EPOCH`). */
  readonly controllerEpoch: number
  /** The partitions this broker hosts whose state changed. */
  readonly partitions: readonly (PartitionState & { readonly isNew: boolean })[]
  /** The live brokers among the leaders named. */
  readonly liveLeaders: readonly BrokerInfo[]
}

/** Per-partition outcome of LeaderAndIsr and StopReplica. */
export interface PartitionResult extends ResponseError {
  /** The topic. */
  readonly topic: string
  /** The partition index. */
  readonly partition: number
}

/** Answer to {@link LeaderAndIsrRequest}. */
export interface LeaderAndIsrResponse extends ResponseError {
  /** One result per partition. */
  readonly partitions: readonly PartitionResult[]
}

/** StopReplica (key 5): stop hosting these partitions, deleting them when asked. */
export interface StopReplicaRequest {
  /** The controller sending it. */
  readonly controllerId: BrokerId
  /** Its epoch. */
  readonly controllerEpoch: number
  /** The partitions. */
  readonly partitions: readonly {
    readonly topic: string
    readonly partition: number
    /** Delete the log too (topic deletion). */
    readonly deletePartition: boolean
  }[]
}

/** Answer to {@link StopReplicaRequest}. */
export interface StopReplicaResponse extends ResponseError {
  /** One result per partition. */
  readonly partitions: readonly PartitionResult[]
}

/** UpdateMetadata (key 6): the controller's view, for every broker's metadata cache. */
export interface UpdateMetadataRequest {
  /** The controller sending it. */
  readonly controllerId: BrokerId
  /** Its epoch. */
  readonly controllerEpoch: number
  /** Every live broker. */
  readonly liveBrokers: readonly BrokerInfo[]
  /** States of partitions that changed (all of them after a controller change or broker start). */
  readonly partitionStates: readonly (PartitionState & {
    readonly offlineReplicas: readonly BrokerId[]
  })[]
  /** Topics deleted since the last update: drop them from the cache. */
  readonly deletedTopics: readonly string[]
  /**
   * `'full'` when `partitionStates` holds every partition the controller knows (after a
   * controller change or to a broker that (re)registered): the cache then drops what it
   * lacks. Absent or `'incremental'`: only what changed. (UpdateMetadata v8's `Type`, KIP-866.)
   */
  readonly type?: 'full' | 'incremental'
}

/** Answer to {@link UpdateMetadataRequest}. */
export type UpdateMetadataResponse = ResponseError

// ---------------------------------------------------------------------------------------
// Consumer groups: FindCoordinator (10, v2), JoinGroup (11, v5), Heartbeat (12, v3),
// LeaveGroup (13, v3), SyncGroup (14, v3), DescribeGroups (15, v4), ListGroups (16, v2),
// OffsetCommit (8, v7), OffsetFetch (9, v5), DeleteGroups (42, v1)

/** FindCoordinator (key 10): which broker coordinates a group. */
export interface FindCoordinatorRequest {
  /** The group id. */
  readonly key: string
  /** 0: a consumer group (1, transactions, is not supported). */
  readonly keyType: 0
}

/** Answer to {@link FindCoordinatorRequest}. */
export interface FindCoordinatorResponse extends ResponseError {
  /** The coordinator's broker id (-1 on error). */
  readonly nodeId: BrokerId
  /** Its host. */
  readonly host: string
  /** Its port. */
  readonly port: number
}

/** One protocol (assignor) a member supports, with its subscription metadata. */
export interface JoinGroupProtocol {
  /** The assignor's name (`range`, `roundrobin`, `sticky`, `cooperative-sticky`). */
  readonly name: string
  /** ConsumerProtocolSubscription bytes (topics, user data, owned partitions). */
  readonly metadata: Uint8Array
}

/** JoinGroup (key 11). */
export interface JoinGroupRequest {
  /** The group id. */
  readonly groupId: string
  /** Leave the group if no heartbeat arrives for this long. */
  readonly sessionTimeoutMs: number
  /** How long the coordinator waits for members to rejoin during a rebalance. */
  readonly rebalanceTimeoutMs: number
  /** The member id, or '' on the first join (the coordinator answers MEMBER_ID_REQUIRED with one). */
  readonly memberId: string
  /** Static membership (KIP-345), or null. */
  readonly groupInstanceId: string | null
  /** Always `consumer`. */
  readonly protocolType: string
  /** The assignors the member supports, preferred first. */
  readonly protocols: readonly JoinGroupProtocol[]
  /** The client id (shown by DescribeGroups). */
  readonly clientId: string
  /** Aborts a held join (the member gave up or closed). */
  readonly signal?: AbortSignal
}

/** A member as the leader sees it in a {@link JoinGroupResponse}. */
export interface JoinGroupMember {
  /** The member id. */
  readonly memberId: string
  /** Its static instance id, or null. */
  readonly groupInstanceId: string | null
  /** Its subscription for the chosen protocol. */
  readonly metadata: Uint8Array
}

/** Answer to {@link JoinGroupRequest}. */
export interface JoinGroupResponse extends ResponseError {
  /** The new generation. */
  readonly generationId: number
  /** The protocol chosen for the group. */
  readonly protocolName: string
  /** The leader's member id. */
  readonly leader: string
  /** This member's id (also with MEMBER_ID_REQUIRED). */
  readonly memberId: string
  /** Every member with its subscription: only the leader gets them. */
  readonly members: readonly JoinGroupMember[]
}

/** SyncGroup (key 14): the leader hands in the assignment; every member gets its own. */
export interface SyncGroupRequest {
  /** The group id. */
  readonly groupId: string
  /** The generation joined. */
  readonly generationId: number
  /** The member id. */
  readonly memberId: string
  /** Its static instance id, or null. */
  readonly groupInstanceId: string | null
  /** From the leader: ConsumerProtocolAssignment bytes per member; others send none. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Uint8Array }[]
}

/** Answer to {@link SyncGroupRequest}. */
export interface SyncGroupResponse extends ResponseError {
  /** This member's ConsumerProtocolAssignment bytes. */
  readonly assignment: Uint8Array
}

/** Heartbeat (key 12). */
export interface HeartbeatRequest {
  /** The group id. */
  readonly groupId: string
  /** The generation. */
  readonly generationId: number
  /** The member id. */
  readonly memberId: string
  /** Its static instance id, or null. */
  readonly groupInstanceId: string | null
}

/** Answer to {@link HeartbeatRequest}: `REBALANCE_IN_PROGRESS` asks the member to rejoin. */
export type HeartbeatResponse = ResponseError

/** LeaveGroup (key 13, v3: several members at once). */
export interface LeaveGroupRequest {
  /** The group id. */
  readonly groupId: string
  /** The members leaving. */
  readonly members: readonly {
    readonly memberId: string
    readonly groupInstanceId: string | null
  }[]
}

/** Answer to {@link LeaveGroupRequest}. */
export interface LeaveGroupResponse extends ResponseError {
  /** Per member. */
  readonly members: readonly ({
    readonly memberId: string
    readonly groupInstanceId: string | null
  } & ResponseError)[]
}

/** OffsetCommit (key 8). */
export interface OffsetCommitRequest {
  /** The group id. */
  readonly groupId: string
  /** The generation, or -1 for a commit outside any generation (a standalone consumer). */
  readonly generationId: number
  /** The member id, or '' outside a generation. */
  readonly memberId: string
  /** Its static instance id, or null. */
  readonly groupInstanceId: string | null
  /** The offsets: the next offset to read, and optional metadata. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly {
      readonly partition: number
      readonly offset: number
      readonly leaderEpoch: number
      readonly metadata: string | null
    }[]
  }[]
}

/** Answer to {@link OffsetCommitRequest}. */
export interface OffsetCommitResponse {
  /** Per partition. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly ({ readonly partition: number } & ResponseError)[]
  }[]
}

/** OffsetFetch (key 9). */
export interface OffsetFetchRequest {
  /** The group id. */
  readonly groupId: string
  /** The partitions, or null for every partition the group has committed. */
  readonly topics:
    | readonly { readonly topic: string; readonly partitions: readonly number[] }[]
    | null
}

/** Answer to {@link OffsetFetchRequest}: offset -1 where nothing is committed. */
export interface OffsetFetchResponse extends ResponseError {
  /** Per partition. */
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly ({
      readonly partition: number
      readonly offset: number
      readonly leaderEpoch: number
      readonly metadata: string | null
    } & ResponseError)[]
  }[]
}

/** Kafka's group states. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

/** DescribeGroups (key 15). */
export interface DescribeGroupsRequest {
  /** The group ids. */
  readonly groups: readonly string[]
}

/** One group in a {@link DescribeGroupsResponse}. */
export interface DescribedGroup extends ResponseError {
  /** The group id. */
  readonly groupId: string
  /** Its state. */
  readonly groupState: GroupState
  /** `consumer`, or '' for an empty group. */
  readonly protocolType: string
  /** The chosen assignor, or ''. */
  readonly protocolData: string
  /** The members with their subscription and assignment bytes. */
  readonly members: readonly {
    readonly memberId: string
    readonly groupInstanceId: string | null
    readonly clientId: string
    readonly clientHost: string
    readonly memberMetadata: Uint8Array
    readonly memberAssignment: Uint8Array
  }[]
}

/** Answer to {@link DescribeGroupsRequest}. */
export interface DescribeGroupsResponse {
  /** One per group, in request order (an unknown group is `Dead` with no members). */
  readonly groups: readonly DescribedGroup[]
}

/** ListGroups (key 16): the groups this broker coordinates. */
export interface ListGroupsRequest {
  /** Only groups in these states (empty: all). */
  readonly statesFilter: readonly GroupState[]
}

/** Answer to {@link ListGroupsRequest}. */
export interface ListGroupsResponse extends ResponseError {
  /** The groups. */
  readonly groups: readonly {
    readonly groupId: string
    readonly protocolType: string
    readonly groupState: GroupState
  }[]
}

/** DeleteGroups (key 42): delete empty groups and their offsets. */
export interface DeleteGroupsRequest {
  /** The group ids. */
  readonly groupsNames: readonly string[]
}

/** Answer to {@link DeleteGroupsRequest}: `NON_EMPTY_GROUP` while members remain. */
export interface DeleteGroupsResponse {
  /** One per group. */
  readonly results: readonly ({ readonly groupId: string } & ResponseError)[]
}

// ---------------------------------------------------------------------------------------
// The table of APIs

/** Every request by API name. */
export interface ApiRequests {
  Produce: ProduceRequest
  Fetch: FetchRequest
  ListOffsets: ListOffsetsRequest
  Metadata: MetadataRequest
  LeaderAndIsr: LeaderAndIsrRequest
  StopReplica: StopReplicaRequest
  UpdateMetadata: UpdateMetadataRequest
  CreateTopics: CreateTopicsRequest
  DeleteTopics: DeleteTopicsRequest
  InitProducerId: InitProducerIdRequest
  DescribeConfigs: DescribeConfigsRequest
  CreatePartitions: CreatePartitionsRequest
  IncrementalAlterConfigs: IncrementalAlterConfigsRequest
  DescribeCluster: DescribeClusterRequest
  FindCoordinator: FindCoordinatorRequest
  JoinGroup: JoinGroupRequest
  SyncGroup: SyncGroupRequest
  Heartbeat: HeartbeatRequest
  LeaveGroup: LeaveGroupRequest
  OffsetCommit: OffsetCommitRequest
  OffsetFetch: OffsetFetchRequest
  DescribeGroups: DescribeGroupsRequest
  ListGroups: ListGroupsRequest
  DeleteGroups: DeleteGroupsRequest
}

/** Every response by API name. */
export interface ApiResponses {
  Produce: ProduceResponse
  Fetch: FetchResponse
  ListOffsets: ListOffsetsResponse
  Metadata: MetadataResponse
  LeaderAndIsr: LeaderAndIsrResponse
  StopReplica: StopReplicaResponse
  UpdateMetadata: UpdateMetadataResponse
  CreateTopics: CreateTopicsResponse
  DeleteTopics: DeleteTopicsResponse
  InitProducerId: InitProducerIdResponse
  DescribeConfigs: DescribeConfigsResponse
  CreatePartitions: CreatePartitionsResponse
  IncrementalAlterConfigs: IncrementalAlterConfigsResponse
  DescribeCluster: DescribeClusterResponse
  FindCoordinator: FindCoordinatorResponse
  JoinGroup: JoinGroupResponse
  SyncGroup: SyncGroupResponse
  Heartbeat: HeartbeatResponse
  LeaveGroup: LeaveGroupResponse
  OffsetCommit: OffsetCommitResponse
  OffsetFetch: OffsetFetchResponse
  DescribeGroups: DescribeGroupsResponse
  ListGroups: ListGroupsResponse
  DeleteGroups: DeleteGroupsResponse
}

/** The name of an API. */
export type ApiName = keyof ApiRequests

/** Kafka's numeric API key of each API. */
export const API_KEYS: { readonly [K in ApiName]: number } = Object.freeze({
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  LeaderAndIsr: 4,
  StopReplica: 5,
  UpdateMetadata: 6,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  DescribeConfigs: 32,
  CreatePartitions: 37,
  IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  OffsetCommit: 8,
  OffsetFetch: 9,
  DeleteGroups: 42,
})

/**
 * What a broker serves: one handler for every API. A handler answers errors that concern
 * one partition or topic inside the response; it rejects (throws a `LogkeeperError`) only for
 * a whole request that cannot be served (`STALE_CONTROLLER_EPOCH` aside, which is in-band).
 */
export interface RequestHandler {
  /** Serve one request. */
  handle<K extends ApiName>(api: K, request: ApiRequests[K]): Promise<ApiResponses[K]>
}
