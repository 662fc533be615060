/**
 * What the producer must know of a topic before it queues records for it: its partitions and
 * leaders (Metadata, creating the topic on first use when allowed) and its
 * `max.message.bytes` (DescribeConfigs, asked once; a broker that cannot answer leaves only
 * `maxRequestSize` as the bound). Views for the partitioners are cached per metadata object.
 */
import type { TopicMetadata } from '../broker/api.js'
import type { ClusterClient } from '../client/cluster-client.js'
import type { MetadataSnapshot } from '../client/metadata.js'
import { withRetries } from '../client/retry.js'
import type { Clock } from '../common/clock.js'
import { fromCode } from '../common/errors.js'
import type { TopicView } from './partitioners.js'

/** Settings of {@link TopicInfo}. */
export interface TopicInfoSettings {
  /** The cluster client. */
  readonly client: ClusterClient
  /** Time, for backoff. */
  readonly clock: Clock
  /** Ask brokers to create missing topics. */
  readonly allowAutoTopicCreation: boolean
  /** First retry backoff. */
  readonly retryBackoffMs: number
  /** How long to wait for a topic's metadata before giving up. */
  readonly maxWaitMs: number
}

/** Topic metadata and limits, cached. */
export class TopicInfo {
  readonly #s: TopicInfoSettings
  readonly #views = new WeakMap<TopicMetadata, TopicView>()
  readonly #maxMessageBytes = new Map<string, number>()
  /** Lookups under way, by their topics: sends that wait for the same topics share one. */
  readonly #resolving = new Map<string, Promise<void>>()

  /**
   * Topic knowledge through `settings.client`.
   *
   * @param settings - client, clock and policies
   */
  constructor(settings: TopicInfoSettings) {
    this.#s = settings
  }

  /** Whether `topic` can be used without asking a broker. */
  known(snapshot: MetadataSnapshot | undefined, topic: string): boolean {
    return snapshot?.topic(topic) !== undefined && this.#maxMessageBytes.has(topic)
  }

  /** The largest batch the topic accepts (Infinity when unknown). */
  maxMessageBytes(topic: string): number {
    return this.#maxMessageBytes.get(topic) ?? Number.POSITIVE_INFINITY
  }

  /** The partitioner's view of a topic. */
  view(meta: TopicMetadata): TopicView {
    let view = this.#views.get(meta)
    if (view === undefined) {
      const available: number[] = []
      for (const p of meta.partitions) if (p.leader >= 0) available.push(p.partition)
      available.sort((a, b) => a - b)
      view = { partitionCount: meta.partitions.length, availablePartitions: available }
      this.#views.set(meta, view)
    }
    return view
  }

  /**
   * Fetch the metadata and limits of `topics`; an unknown topic is `UNKNOWN_TOPIC_OR_PARTITION`.
   * Concurrent calls for the same topics share one lookup (a burst of sends to a topic not
   * known yet asks the brokers once, not once per send).
   */
  resolve(topics: readonly string[]): Promise<void> {
    const key = topics.join('\n')
    let lookup = this.#resolving.get(key)
    if (lookup === undefined) {
      lookup = this.#lookup(topics).finally(() => this.#resolving.delete(key))
      this.#resolving.set(key, lookup)
    }
    return lookup
  }

  async #lookup(topics: readonly string[]): Promise<void> {
    const { client, clock, allowAutoTopicCreation } = this.#s
    let force = false
    await withRetries(
      async () => {
        const snap = await client.metadata(topics, { force, allowAutoTopicCreation })
        force = true
        for (const t of topics) checkTopic(snap, t, allowAutoTopicCreation)
      },
      {
        clock,
        retries: Number.MAX_SAFE_INTEGER,
        backoffMs: this.#s.retryBackoffMs,
        deadline: clock.now() + this.#s.maxWaitMs,
      },
    )
    await Promise.all(topics.map((t) => this.#limits(t)))
  }

  async #limits(topic: string): Promise<void> {
    if (this.#maxMessageBytes.has(topic)) return
    let max = Number.POSITIVE_INFINITY
    try {
      const res = await this.#s.client.sendToAny('DescribeConfigs', {
        resources: [{ type: 'topic', name: topic, configNames: ['max.message.bytes'] }],
      })
      const value = res.results[0]?.configs.find((c) => c.name === 'max.message.bytes')?.value
      if (value !== undefined && value !== null && Number(value) > 0) max = Number(value)
    } catch {
      // A broker that cannot describe configs: the broker checks the size itself.
    }
    this.#maxMessageBytes.set(topic, max)
  }
}

function checkTopic(snap: MetadataSnapshot, topic: string, autoCreate: boolean): void {
  const meta = snap.topics.get(topic)
  const error = meta === undefined ? 'UNKNOWN_TOPIC_OR_PARTITION' : meta.error
  if (error === undefined && meta !== undefined && meta.partitions.length > 0) return
  if (error === 'UNKNOWN_TOPIC_OR_PARTITION' && !autoCreate) {
    throw fromCode(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `topic ${topic} does not exist (and allowAutoTopicCreation is off)`,
    )
  }
  // A topic being created (LEADER_NOT_AVAILABLE, or not yet known): retriable.
  throw fromCode(error ?? 'LEADER_NOT_AVAILABLE', `topic ${topic} is not ready: ${error}`)
}
