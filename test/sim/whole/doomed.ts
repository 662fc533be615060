/**
 * The doomed topic of the whole-cluster simulation: a topic with its own producers (no topic
 * auto-creation) and a consumer group of one, that a step deletes. Its replication invariants
 * stop applying the moment the deletion is asked for; once the deletion is done the topic is
 * unknown to the cluster (a typed UNKNOWN_TOPIC_OR_PARTITION) once every broker heard of it
 * (within 30 s of virtual time), a send to it fails with a typed
 * error, OffsetFetch of its group for it fails with UNKNOWN_TOPIC_OR_PARTITION, and its
 * consumer never crashes with an untyped error.
 */
import { isLogkeeperError } from '../../../src/common/errors.js'
import type { Random } from '../../../src/common/random.js'
import type { Consumer } from '../../../src/consumer/consumer.js'
import { ReplicationWorkload } from '../replication/workload.js'
import { countFault } from '../support/faults.js'
import { codeOf, type SimBase } from '../support/sim-base.js'

/** The topic a run deletes. */
export const DOOMED = 'wdoomed'
const GROUP = 'wdoomed-group'
/** The typed errors a send to a deleted topic may end with. */
const SEND_ERRORS = ['UNKNOWN_TOPIC_OR_PARTITION', 'REQUEST_TIMED_OUT', 'TIMEOUT']
/**
 * How long the brokers' caches may take to drop the topic once DeleteTopics answered: the
 * controller's UpdateMetadata reaches each broker in its own time (a slow one's seconds later).
 */
const FORGOTTEN_WITHIN_MS = 30_000

/** The doomed topic, its clients and its checks. */
export class DoomedTopic {
  readonly w: ReplicationWorkload
  state: 'live' | 'deleting' | 'deleted' = 'live'
  consumer!: Consumer
  consumed = 0

  constructor(
    readonly sim: SimBase,
    random: Random,
  ) {
    this.w = new ReplicationWorkload(sim, DOOMED, random, 'd-', { allowAutoTopicCreation: false })
  }

  async setUp(): Promise<void> {
    await this.w.setUp(2, true)
    this.consumer = this.sim.cluster.consumer({ groupId: GROUP, clientId: 'd-consumer' })
    this.consumer.on('crash', (e) => {
      this.sim.note(`d-consumer crashed: ${codeOf(e.error)}`)
      if (!isLogkeeperError(e.error)) {
        this.sim.violate(`[deleted] d-consumer crashed with an untyped error: ${String(e.error)}`)
      }
    })
    await this.consumer.subscribe({ topics: [DOOMED], fromBeginning: true })
    await this.consumer.run({
      eachMessage: async () => {
        this.consumed++
      },
    })
  }

  /** Ask for the deletion (once; again at the end if it failed). */
  delete(): void {
    if (this.state !== 'live') {
      this.sim.note('delete-topic skipped')
      return
    }
    this.sim.note(`delete topic ${DOOMED}`)
    countFault(this.sim, 'delete-topic')
    this.state = 'deleting'
    this.w.deleted = true
    this.#deleting()
  }

  #deleting(): Promise<void> {
    const deleting = this.sim.cluster
      .admin()
      .deleteTopics({ topics: [DOOMED] })
      .then(
        () => {
          this.state = 'deleted'
          this.sim.note(`${DOOMED} deleted`)
        },
        (err: unknown) => {
          this.sim.note(`delete ${DOOMED} failed: ${codeOf(err)}`)
          // Asked again after a first request that timed out: that one finished the job.
          if (codeOf(err) === 'UNKNOWN_TOPIC_OR_PARTITION') this.state = 'deleted'
        },
      )
    this.sim.track(deleting)
    return deleting
  }

  /** At the end (every broker back): finish the deletion if it failed, then check it. */
  async checkEnd(): Promise<void> {
    if (this.state === 'live') return
    if (this.state === 'deleting') await this.sim.advanceUntil(this.#deleting(), 120_000, 500)
    if (this.state !== 'deleted') return this.sim.violate(`[deleted] ${DOOMED} never deleted`)
    this.sim.count('checks')
    await this.#checkUnknown()
    await this.#checkSend()
    await this.#checkOffsetFetch()
  }

  async #checkUnknown(): Promise<void> {
    for (let t = 0; t < FORGOTTEN_WITHIN_MS && this.#known(); t += 100) {
      await this.sim.clock.advance(100)
    }
    try {
      this.sim.cluster.topic(DOOMED)
      this.sim.violate(`[deleted] ${DOOMED} is still known after its deletion`)
    } catch (err) {
      if (codeOf(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') {
        this.sim.violate(`[deleted] looking ${DOOMED} up failed with ${String(err)}`)
      }
    }
  }

  /** Whether a live broker's cache still lists the topic. */
  #known(): boolean {
    return this.sim.cluster.brokers.some((b) => b.alive && b.cache.hasTopic(DOOMED))
  }

  async #checkSend(): Promise<void> {
    const producer = this.w.producers.get('idem')
    if (producer === undefined) return
    const sending = producer.send({ topic: DOOMED, messages: [{ value: 'after-delete' }] })
    try {
      await this.sim.clock.runUntil(sending, 180_000)
      this.sim.violate(`[deleted] a send to ${DOOMED} succeeded after its deletion`)
    } catch (err) {
      this.sim.note(`send to deleted ${DOOMED}: ${codeOf(err)}`)
      if (!isLogkeeperError(err) || !SEND_ERRORS.includes(err.code)) {
        this.sim.violate(`[deleted] a send to ${DOOMED} failed with ${String(err)}`)
      }
    }
  }

  async #checkOffsetFetch(): Promise<void> {
    const fetching = this.sim.cluster.admin().fetchOffsets({ groupId: GROUP, topics: [DOOMED] })
    try {
      await this.sim.clock.runUntil(fetching, 120_000)
      this.sim.violate(`[deleted] OffsetFetch of ${DOOMED} succeeded after its deletion`)
    } catch (err) {
      if (codeOf(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') {
        this.sim.violate(`[deleted] OffsetFetch of ${DOOMED} failed with ${String(err)}`)
      }
    }
  }
}
