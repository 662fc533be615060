/**
 * Chapter 1: a topic of three partitions, each copied to all three brokers. Where each
 * partition's leader and followers live, and the assignment as the controller wrote it in
 * the coordinator, where Kafka kept it in ZooKeeper.
 */
import type { Scenario } from './tour.js'

/** The topic chapter. */
export const topicScenario: Scenario = {
  title: 'A topic on three brokers',
  async run({ cluster, admin, say, topic }) {
    say.line(
      `Create '${topic}' with 3 partitions and replication factor 3: every partition gets a ` +
        'leader, which takes the writes, and two followers that copy it.',
    )
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }] })
    for (const p of cluster.topic(topic).partitions) {
      say.fact(
        `partition ${p.id}: leader broker ${p.leader}, replicas [${p.replicas.join(', ')}], ` +
          `in sync [${p.isr.join(', ')}]`,
      )
    }
    say.line('The leaders are spread over the brokers, so no broker takes all the writes.')
    const zk = cluster.coordinator.connect()
    try {
      const { data } = await zk.getData(`/brokers/topics/${topic}`)
      say.line(`The controller keeps the assignment in the coordinator, as Kafka did in ZooKeeper:`)
      say.fact(`get /brokers/topics/${topic}`)
      say.fact(`${data?.toString('utf8')}`)
      const brokers = (await zk.getChildren('/brokers/ids')).sort()
      say.line('and each live broker as an ephemeral node, gone when its session ends:')
      say.fact(`ls /brokers/ids -> [${brokers.join(', ')}]`)
    } finally {
      await zk.close()
    }
  },
}
