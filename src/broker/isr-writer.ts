/**
 * The leaders' ISR writes (Kafka's ZooKeeper-mode `Partition.updateIsr`): a conditional setData
 * of the partition's state znode, then an `/isr_change_notification/isr_change_<seq>` so the
 * controller re-reads the state and tells every broker.
 */
import type { BrokerId, PartitionState } from './api.js'
import type { IsrWriter } from './replica/types.js'
import type { KafkaZk } from './zk/kafka-zk.js'
import { encodeIsrChange } from './zk/misc-znodes.js'
import { ISR_CHANGE_PREFIX, ISR_CHANGES_PATH } from './zk/paths.js'

/** Writes ISR changes through the broker's current session. */
export class ZkIsrWriter implements IsrWriter {
  /** `zk()` is the broker's current coordinator access, or undefined while it has none. */
  constructor(private readonly zk: () => KafkaZk | undefined) {}

  async updateIsr(state: PartitionState, newIsr: readonly BrokerId[]): Promise<number | null> {
    const zk = this.zk()
    if (zk === undefined) return null
    let version: number
    try {
      const stat = await zk.writeIsr(
        state.topic,
        state.partition,
        {
          leader: state.leader,
          leaderEpoch: state.leaderEpoch,
          isr: newIsr,
          controllerEpoch: state.controllerEpoch,
        },
        state.zkVersion,
      )
      version = stat.version
    } catch {
      return null
    }
    await zk.client
      .create(
        `${ISR_CHANGES_PATH}/${ISR_CHANGE_PREFIX}`,
        encodeIsrChange([{ topic: state.topic, partition: state.partition }]),
        { mode: 'persistent-sequential' },
      )
      .catch(() => undefined)
    return version
  }
}
