/**
 * Follows `/config/changes` (Kafka's `ZkNodeChangeNotificationListener` with the topic config
 * handler): each new `config_change_<seq>` names an entity; for a topic the broker reloads its
 * overrides and tells its replica manager. Notifications are processed in sequence order,
 * each once per session; they are not purged (Kafka purges them after 15 minutes).
 */

import { decodeConfigChange } from './zk/config-znodes.js'
import type { KafkaZk } from './zk/kafka-zk.js'
import { CONFIG_CHANGE_PREFIX, CONFIG_CHANGES_PATH } from './zk/paths.js'

/** Watches config change notifications for one broker session. */
export class ConfigChangeListener {
  #lastSeq = -1
  #running: Promise<void> = Promise.resolve()
  #stopped = false

  /** Calls `onTopicChange(topic)` for each topic named by a new notification. */
  constructor(
    private readonly zk: KafkaZk,
    private readonly onTopicChange: (topic: string) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Process what is there now and watch for more. */
  start(): Promise<void> {
    return this.#schedule()
  }

  /** Stop listening. */
  stop(): void {
    this.#stopped = true
  }

  readonly #watch = () => void this.#schedule()

  #schedule(): Promise<void> {
    this.#running = this.#running.then(async () => {
      if (this.#stopped) return
      try {
        await this.#process()
      } catch (err) {
        if (!this.#stopped) this.onError(err)
      }
    })
    return this.#running
  }

  async #process(): Promise<void> {
    const names = await this.zk.client.getChildren(CONFIG_CHANGES_PATH, { watch: this.#watch })
    const fresh = names
      .filter((n) => n.startsWith(CONFIG_CHANGE_PREFIX))
      .map((n) => ({ name: n, seq: Number(n.slice(CONFIG_CHANGE_PREFIX.length)) }))
      .filter((n) => Number.isSafeInteger(n.seq) && n.seq > this.#lastSeq)
      .sort((a, b) => a.seq - b.seq)
    for (const { name, seq } of fresh) {
      if (this.#stopped) return
      const path = `${CONFIG_CHANGES_PATH}/${name}`
      try {
        const { data } = await this.zk.client.getData(path)
        const entity = decodeConfigChange(path, data)
        if (entity.type === 'topics') await this.onTopicChange(entity.name)
      } catch (err) {
        this.onError(err)
      }
      this.#lastSeq = seq
    }
  }
}
