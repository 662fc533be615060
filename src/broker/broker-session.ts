/**
 * One coordinator session of a broker: the client, the typed access over it, and what lives
 * and dies with it (the config change listener, the controller watch). A session that expires
 * under a running broker is replaced by a fresh one (Kafka's re-registration after expiry).
 */
import type { Coordinator, CoordinatorClient } from '../coordination/types.js'
import { ConfigChangeListener } from './config-change-listener.js'
import { KafkaZk } from './zk/kafka-zk.js'

/** A coordinator client that can stop heartbeating (a crashed process). */
export type PausableClient = CoordinatorClient & { pauseHeartbeats(): void }

/** What a broker needs of the coordinator: sessions, and expiring a dead process's session. */
export interface BrokerCoordinator extends Coordinator {
  /** Open a session. */
  connect(options?: { sessionTimeoutMs?: number }): PausableClient
}

/** A broker's live session. */
export class BrokerSession {
  /** Typed access. */
  readonly zk: KafkaZk
  /** Config change notifications. */
  readonly configChanges: ConfigChangeListener
  #ended = false

  /** Over `client`; `onTopicConfig` hears topic config changes. */
  constructor(
    readonly client: PausableClient,
    onTopicConfig: (topic: string) => Promise<void>,
    onError: (err: unknown) => void,
  ) {
    this.zk = new KafkaZk(client)
    this.configChanges = new ConfigChangeListener(this.zk, onTopicConfig, onError)
  }

  /** Whether the session was ended by the broker (killed or closed). */
  get ended(): boolean {
    return this.#ended
  }

  /** Stop listening; the broker crashed: stop heartbeating so the session expires by the clock. */
  abandon(): void {
    this.#ended = true
    this.configChanges.stop()
    this.client.pauseHeartbeats()
  }

  /** Stop listening and close the session (its ephemerals go at once). */
  async close(): Promise<void> {
    this.#ended = true
    this.configChanges.stop()
    await this.client.close().catch(() => undefined)
  }
}
