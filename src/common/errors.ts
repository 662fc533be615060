/**
 * Errors as data: one table of stable codes, each with the matching Kafka or ZooKeeper numeric
 * code and whether a retry may succeed. Every error logkeeper throws is a {@link LogkeeperError}
 * (or a subclass per family) carrying one of these codes.
 *
 * Codes are stable; messages are not. Kafka codes are those of the Kafka protocol
 * (`org.apache.kafka.common.protocol.Errors`); ZooKeeper codes are those of
 * `KeeperException.Code`.
 */

/** Which system a code comes from. `client` codes are logkeeper's own. */
export type ErrorFamily = 'kafka' | 'zookeeper' | 'client'

/** One row of the error table. */
export interface ErrorSpec {
  /** The system whose semantics the code follows. */
  readonly family: ErrorFamily
  /** Kafka protocol error code, or ZooKeeper KeeperException code, where one exists. */
  readonly numeric?: number
  /** Whether retrying the same operation later may succeed. */
  readonly retriable: boolean
}

const kafka = (numeric: number, retriable = false): ErrorSpec => ({
  family: 'kafka',
  numeric,
  retriable,
})
const zookeeper = (numeric: number, retriable = false): ErrorSpec => ({
  family: 'zookeeper',
  numeric,
  retriable,
})
const client = (retriable = false): ErrorSpec => ({ family: 'client', retriable })

/** The table of every error code logkeeper uses. */
export const ERROR_CODES = {
  // Kafka (org.apache.kafka.common.protocol.Errors)
  UNKNOWN_SERVER_ERROR: kafka(-1),
  OFFSET_OUT_OF_RANGE: kafka(1),
  CORRUPT_MESSAGE: kafka(2, true),
  UNKNOWN_TOPIC_OR_PARTITION: kafka(3, true),
  INVALID_FETCH_SIZE: kafka(4),
  LEADER_NOT_AVAILABLE: kafka(5, true),
  NOT_LEADER_OR_FOLLOWER: kafka(6, true),
  REQUEST_TIMED_OUT: kafka(7, true),
  BROKER_NOT_AVAILABLE: kafka(8),
  REPLICA_NOT_AVAILABLE: kafka(9, true),
  MESSAGE_TOO_LARGE: kafka(10),
  STALE_CONTROLLER_EPOCH: kafka(11),
  OFFSET_METADATA_TOO_LARGE: kafka(12),
  NETWORK_EXCEPTION: kafka(13, true),
  COORDINATOR_LOAD_IN_PROGRESS: kafka(14, true),
  COORDINATOR_NOT_AVAILABLE: kafka(15, true),
  NOT_COORDINATOR: kafka(16, true),
  INVALID_TOPIC_EXCEPTION: kafka(17),
  RECORD_LIST_TOO_LARGE: kafka(18),
  NOT_ENOUGH_REPLICAS: kafka(19, true),
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: kafka(20, true),
  INVALID_REQUIRED_ACKS: kafka(21),
  ILLEGAL_GENERATION: kafka(22),
  INCONSISTENT_GROUP_PROTOCOL: kafka(23),
  INVALID_GROUP_ID: kafka(24),
  UNKNOWN_MEMBER_ID: kafka(25),
  INVALID_SESSION_TIMEOUT: kafka(26),
  REBALANCE_IN_PROGRESS: kafka(27),
  INVALID_COMMIT_OFFSET_SIZE: kafka(28),
  INVALID_TIMESTAMP: kafka(32),
  UNSUPPORTED_VERSION: kafka(35),
  TOPIC_ALREADY_EXISTS: kafka(36),
  INVALID_PARTITIONS: kafka(37),
  INVALID_REPLICATION_FACTOR: kafka(38),
  INVALID_REPLICA_ASSIGNMENT: kafka(39),
  INVALID_CONFIG: kafka(40),
  NOT_CONTROLLER: kafka(41, true),
  INVALID_REQUEST: kafka(42),
  UNSUPPORTED_FOR_MESSAGE_FORMAT: kafka(43),
  POLICY_VIOLATION: kafka(44),
  OUT_OF_ORDER_SEQUENCE_NUMBER: kafka(45),
  DUPLICATE_SEQUENCE_NUMBER: kafka(46),
  INVALID_PRODUCER_EPOCH: kafka(47),
  KAFKA_STORAGE_ERROR: kafka(56, true),
  UNKNOWN_PRODUCER_ID: kafka(59),
  NON_EMPTY_GROUP: kafka(68),
  GROUP_ID_NOT_FOUND: kafka(69),
  TOPIC_DELETION_DISABLED: kafka(73),
  FENCED_LEADER_EPOCH: kafka(74, true),
  UNKNOWN_LEADER_EPOCH: kafka(75, true),
  OFFSET_NOT_AVAILABLE: kafka(78, true),
  MEMBER_ID_REQUIRED: kafka(79),
  PREFERRED_LEADER_NOT_AVAILABLE: kafka(80, true),
  GROUP_MAX_SIZE_REACHED: kafka(81),
  FENCED_INSTANCE_ID: kafka(82),
  ELIGIBLE_LEADERS_NOT_AVAILABLE: kafka(83, true),
  ELECTION_NOT_NEEDED: kafka(84, true),
  INVALID_RECORD: kafka(87),
  PRODUCER_FENCED: kafka(90),

  // ZooKeeper (KeeperException.Code)
  SYSTEM_ERROR: zookeeper(-1),
  RUNTIME_INCONSISTENCY: zookeeper(-2),
  DATA_INCONSISTENCY: zookeeper(-3),
  CONNECTION_LOSS: zookeeper(-4, true),
  MARSHALLING_ERROR: zookeeper(-5),
  UNIMPLEMENTED: zookeeper(-6),
  OPERATION_TIMEOUT: zookeeper(-7, true),
  BAD_ARGUMENTS: zookeeper(-8),
  UNKNOWN_SESSION: zookeeper(-12),
  API_ERROR: zookeeper(-100),
  NO_NODE: zookeeper(-101),
  NO_AUTH: zookeeper(-102),
  BAD_VERSION: zookeeper(-103),
  NO_CHILDREN_FOR_EPHEMERALS: zookeeper(-108),
  NODE_EXISTS: zookeeper(-110),
  NOT_EMPTY: zookeeper(-111),
  SESSION_EXPIRED: zookeeper(-112),
  INVALID_CALLBACK: zookeeper(-113),
  INVALID_ACL: zookeeper(-114),
  AUTH_FAILED: zookeeper(-115),
  SESSION_MOVED: zookeeper(-118),
  NOT_READ_ONLY: zookeeper(-119),
  EPHEMERAL_ON_LOCAL_SESSION: zookeeper(-120),
  NO_WATCHER: zookeeper(-121),
  REQUEST_TIMEOUT: zookeeper(-122, true),
  SESSION_CLOSED_REQUIRE_SASL_AUTH: zookeeper(-124),
  QUOTA_EXCEEDED: zookeeper(-125),
  THROTTLED_OP: zookeeper(-127, true),

  // logkeeper's own
  /** An argument has the wrong type, shape or range. */
  INVALID_ARGUMENT: client(),
  /** The object (cluster, log, client, store) was closed before or during the call. */
  CLOSED: client(),
  /** The operation was cancelled through an AbortSignal. */
  ABORTED: client(),
  /** A client-side wait ran past its timeout. */
  TIMEOUT: client(true),
  /** A directory or file cannot be used (not a directory, not writable, locked by another). */
  STORAGE_UNAVAILABLE: client(),
} as const satisfies Record<string, ErrorSpec>

/** Every stable error code logkeeper uses. */
export type ErrorCode = keyof typeof ERROR_CODES

/** Options accepted by every logkeeper error constructor. */
export interface LogkeeperErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown
}

/**
 * The base of every error logkeeper throws. Test `err.code` (stable), never `err.message`.
 *
 * @example
 * ```ts
 * try { await zk.create('/a', '') } catch (err) {
 *   if (err instanceof LogkeeperError && err.code === 'NODE_EXISTS') { ... }
 * }
 * ```
 */
export class LogkeeperError extends Error {
  /** The stable code from {@link ERROR_CODES}. */
  readonly code: ErrorCode
  /** The Kafka protocol error code or ZooKeeper KeeperException code, if the code has one. */
  readonly numeric: number | undefined
  /** Whether retrying the same operation later may succeed. */
  readonly retriable: boolean

  /**
   * An error with a stable code.
   *
   * @param code - a stable code from {@link ERROR_CODES}; it decides the numeric code and `retriable`
   * @param message - human-readable text (not stable)
   * @param options - `cause`: the underlying error
   */
  constructor(code: ErrorCode, message: string, options: LogkeeperErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    const spec: ErrorSpec = ERROR_CODES[code]
    this.name = new.target.name
    this.code = code
    this.numeric = spec.numeric
    this.retriable = spec.retriable
  }

  /** The family of the code: `kafka`, `zookeeper` or `client`. */
  get family(): ErrorFamily {
    return ERROR_CODES[this.code].family
  }

  /** The Kafka protocol error code, if this is a Kafka error. */
  get kafkaCode(): number | undefined {
    return this.family === 'kafka' ? this.numeric : undefined
  }

  /** The ZooKeeper KeeperException code, if this is a ZooKeeper error. */
  get zookeeperCode(): number | undefined {
    return this.family === 'zookeeper' ? this.numeric : undefined
  }
}

/** An error with a Kafka protocol error code (logs, brokers, producers, consumers, admin). */
export class KafkaError extends LogkeeperError {}

/** An error with a ZooKeeper KeeperException code (the coordinator and its recipes). */
export class CoordinationError extends LogkeeperError {}

/** A bad argument: wrong type, shape or range. Nothing was changed. Code `INVALID_ARGUMENT`. */
export class InvalidArgumentError extends LogkeeperError {
  /**
   * An `INVALID_ARGUMENT` error.
   *
   * @param message - what is wrong with which argument
   * @param options - `cause`: the underlying error
   */
  constructor(message: string, options: LogkeeperErrorOptions = {}) {
    super('INVALID_ARGUMENT', message, options)
  }
}

/**
 * Build the right error class for a code.
 *
 * @param code - a stable code from {@link ERROR_CODES}
 * @param message - human-readable text (defaults to the code)
 */
export function fromCode(
  code: ErrorCode,
  message: string = code,
  options: LogkeeperErrorOptions = {},
): LogkeeperError {
  if (code === 'INVALID_ARGUMENT') return new InvalidArgumentError(message, options)
  switch (ERROR_CODES[code].family) {
    case 'kafka':
      return new KafkaError(code, message, options)
    case 'zookeeper':
      return new CoordinationError(code, message, options)
    default:
      return new LogkeeperError(code, message, options)
  }
}

const byNumeric = new Map<string, ErrorCode>()
for (const [code, spec] of Object.entries(ERROR_CODES) as [ErrorCode, ErrorSpec][]) {
  if (spec.numeric !== undefined) byNumeric.set(`${spec.family}:${spec.numeric}`, code)
}

/**
 * Look a code up by its numeric Kafka or ZooKeeper code, e.g. `codeFromNumeric('zookeeper', -101)`
 * is `'NO_NODE'`. Returns `undefined` for numbers the table does not know.
 */
export function codeFromNumeric(
  family: 'kafka' | 'zookeeper',
  numeric: number,
): ErrorCode | undefined {
  return byNumeric.get(`${family}:${numeric}`)
}

/** Whether `err` is a {@link LogkeeperError}, optionally with the given code. */
export function isLogkeeperError(err: unknown, code?: ErrorCode): err is LogkeeperError {
  return err instanceof LogkeeperError && (code === undefined || err.code === code)
}
