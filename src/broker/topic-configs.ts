/**
 * A broker's copy of the topics' config overrides (`/config/topics/<t>`), resolved over the
 * broker defaults. The replica manager reads a topic's config synchronously, so the broker
 * loads a topic's overrides before it hosts the topic, and reloads them when a
 * `/config/changes` notification names the topic.
 */
import {
  type BrokerConfig,
  parseTopicConfig,
  resolveTopicConfig,
  type TopicConfig,
} from './config.js'
import type { KafkaZk } from './zk/kafka-zk.js'

/** Topic configs as this broker knows them. */
export class TopicConfigs {
  readonly #overrides = new Map<string, Partial<TopicConfig>>()
  readonly #resolved = new Map<string, Readonly<TopicConfig>>()

  /** Over `broker` defaults. */
  constructor(private readonly broker: Readonly<BrokerConfig>) {}

  /** A topic's complete config (the defaults for a topic not loaded). */
  get(topic: string): Readonly<TopicConfig> {
    let config = this.#resolved.get(topic)
    if (config === undefined) {
      config = resolveTopicConfig(this.broker, this.#overrides.get(topic) ?? {})
      this.#resolved.set(topic, config)
    }
    return config
  }

  /** Whether a topic's overrides are loaded. */
  has(topic: string): boolean {
    return this.#overrides.has(topic)
  }

  /**
   * Read a topic's overrides from the coordinator. Stored values that do not parse are
   * ignored (the defaults apply), as a broker must not stop over one bad znode. Returns
   * whether the resolved config changed.
   */
  async load(zk: KafkaZk, topic: string): Promise<boolean> {
    const raw = await zk.topicConfig(topic)
    let overrides: Partial<TopicConfig>
    try {
      overrides = parseTopicConfig(raw)
    } catch {
      overrides = {}
    }
    const before = this.#overrides.has(topic) ? JSON.stringify(this.get(topic)) : undefined
    this.#overrides.set(topic, overrides)
    this.#resolved.delete(topic)
    return before !== JSON.stringify(this.get(topic))
  }

  /** Forget a topic (deleted). */
  forget(topic: string): void {
    this.#overrides.delete(topic)
    this.#resolved.delete(topic)
  }

  /** Forget everything (a restart). */
  clear(): void {
    this.#overrides.clear()
    this.#resolved.clear()
  }
}
