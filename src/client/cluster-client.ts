/**
 * What every client (producer, consumer, admin) shares: a name on the transport, the list of
 * brokers to start from, and a cached view of the cluster's metadata, refreshed on demand and
 * when it is older than `metadataMaxAgeMs`. Concurrent refreshes share one Metadata request.
 */
import type {
  ApiName,
  ApiRequests,
  ApiResponses,
  BrokerId,
  MetadataResponse,
} from '../broker/api.js'
import type { NodeId, Transport } from '../broker/transport.js'
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import { MetadataSnapshot } from './metadata.js'

/** What a {@link ClusterClient} is built from. */
export interface ClusterClientOptions {
  /** The client's name on the transport (for cuts and drops) and in logs. */
  readonly clientId: NodeId
  /** How requests reach brokers. */
  readonly transport: Transport
  /** Time. */
  readonly clock: Clock
  /** The brokers to ask for metadata first (Kafka's `bootstrap.servers`). */
  readonly bootstrap: readonly BrokerId[]
  /** Refresh the metadata when it is older than this (Kafka's `metadata.max.age.ms`, 300000). */
  readonly metadataMaxAgeMs?: number
}

/** Options of {@link ClusterClient.metadata}. */
export interface MetadataOptions {
  /** Ask the brokers even if the cache is fresh and has the topics. */
  readonly force?: boolean
  /** Let a broker create missing topics (`auto.create.topics.enable`). */
  readonly allowAutoTopicCreation?: boolean
}

/** A client's connection to the cluster: requests and metadata. */
export class ClusterClient {
  readonly #options: ClusterClientOptions
  #snapshot: MetadataSnapshot | undefined
  #fetchedAt = Number.NEGATIVE_INFINITY
  #pending: Promise<MetadataSnapshot> | undefined
  #next = 0
  #closed = false

  /** A client with no metadata yet. */
  constructor(options: ClusterClientOptions) {
    this.#options = options
  }

  /** The client's name on the transport. */
  get clientId(): NodeId {
    return this.#options.clientId
  }

  /** The last metadata fetched, if any. */
  get snapshot(): MetadataSnapshot | undefined {
    return this.#snapshot
  }

  /** Fail from now on with `CLOSED`. */
  close(): void {
    this.#closed = true
  }

  #check(): void {
    if (this.#closed) throw fromCode('CLOSED', `client ${String(this.#options.clientId)} is closed`)
  }

  /** Send one request to one broker. */
  send<K extends ApiName>(to: BrokerId, api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    this.#check()
    return this.#options.transport.send(this.#options.clientId, to, api, request)
  }

  /** The brokers to try, known ones first, starting from a rotating index. */
  #candidates(): BrokerId[] {
    const known = this.#snapshot ? [...this.#snapshot.brokers.keys()] : []
    const all = [...new Set([...known, ...this.#options.bootstrap])]
    const start = this.#next++ % Math.max(1, all.length)
    return [...all.slice(start), ...all.slice(0, start)]
  }

  /**
   * Send to the first broker that answers (Metadata, InitProducerId, DescribeConfigs...).
   * Rejects with the last `NETWORK_EXCEPTION` when none does.
   */
  async sendToAny<K extends ApiName>(api: K, request: ApiRequests[K]): Promise<ApiResponses[K]> {
    let last: unknown = fromCode('BROKER_NOT_AVAILABLE', 'no broker is known')
    for (const id of this.#candidates()) {
      try {
        return await this.send(id, api, request)
      } catch (err) {
        if ((err as { code?: string }).code !== 'NETWORK_EXCEPTION') throw err
        last = err
      }
    }
    throw last
  }

  /** Send to the controller named by fresh metadata (`NOT_CONTROLLER` answers are for the caller to retry). */
  async sendToController<K extends ApiName>(
    api: K,
    request: ApiRequests[K],
  ): Promise<ApiResponses[K]> {
    const meta = await this.metadata([], { force: true })
    if (meta.controllerId < 0) throw fromCode('NOT_CONTROLLER', 'the cluster has no controller now')
    return this.send(meta.controllerId, api, request)
  }

  /**
   * The metadata of `topics` (`null`: every topic; `[]`: brokers and controller only), from
   * the cache when it is fresh and has them all.
   */
  async metadata(
    topics: readonly string[] | null,
    options: MetadataOptions = {},
  ): Promise<MetadataSnapshot> {
    this.#check()
    const snap = this.#snapshot
    const maxAge = this.#options.metadataMaxAgeMs ?? 300_000
    const fresh = snap !== undefined && this.#options.clock.now() - this.#fetchedAt < maxAge
    if (!options.force && fresh && topics?.every((t) => snap.topic(t))) return snap
    return this.#refresh(topics, options.allowAutoTopicCreation ?? false)
  }

  async #refresh(
    topics: readonly string[] | null,
    allowAutoTopicCreation: boolean,
  ): Promise<MetadataSnapshot> {
    // A refresh under way that asks for every topic serves this one too.
    if (this.#pending && !allowAutoTopicCreation) {
      const shared = await this.#pending
      if (topics?.every((t) => shared.topics.has(t))) return shared
    }
    // Ask for the topics already known too, so one snapshot keeps serving them all.
    const known = this.#snapshot ? [...this.#snapshot.topics.keys()] : []
    const wanted = topics === null ? null : [...new Set([...known, ...topics])]
    const pending = this.sendToAny('Metadata', { topics: wanted, allowAutoTopicCreation }).then(
      (response) => {
        const snapshot = new MetadataSnapshot(keepOthers(response, wanted, this.#snapshot))
        this.#snapshot = snapshot
        this.#fetchedAt = this.#options.clock.now()
        return snapshot
      },
    )
    this.#pending = pending
    try {
      return await pending
    } finally {
      if (this.#pending === pending) this.#pending = undefined
    }
  }
}

/**
 * A response for some topics, with the topics of `current` it was not asked about added: two
 * refreshes for different topics may run at once, and the later answer must not make the
 * earlier one's topics unknown again. A response for every topic (`wanted` null) stands alone.
 */
function keepOthers(
  response: MetadataResponse,
  wanted: readonly string[] | null,
  current: MetadataSnapshot | undefined,
): MetadataResponse {
  if (wanted === null || current === undefined) return response
  const answered = new Set(response.topics.map((t) => t.name))
  const others = [...current.topics.values()].filter((t) => !answered.has(t.name))
  return others.length === 0 ? response : { ...response, topics: [...response.topics, ...others] }
}
