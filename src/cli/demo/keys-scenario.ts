/**
 * Chapter 2: keyed records. The default partitioner hashes the key (murmur2, as Kafka's Java
 * client does), so every record of one key lands on one partition and keeps its order there.
 */
import type { Scenario } from './tour.js'

const ORDERS = ['alice', 'bob', 'carol', 'alice', 'dave', 'bob', 'alice']

/** The keyed-produce chapter. */
export const keysScenario: Scenario = {
  title: 'Same key, same partition',
  async run({ cluster, say, topic }) {
    say.line(`A producer sends ${ORDERS.length} orders, keyed by customer (acks=all):`)
    const producer = cluster.producer({ acks: -1 })
    const placed = new Map<string, Set<number>>()
    try {
      for (const [n, customer] of ORDERS.entries()) {
        const [sent] = await producer.send({
          topic,
          messages: [{ key: customer, value: `order ${n + 1} of ${customer}` }],
        })
        const partition = sent?.partition ?? -1
        placed.set(customer, (placed.get(customer) ?? new Set()).add(partition))
        say.fact(`key ${customer.padEnd(5)} -> partition ${partition}, offset ${sent?.baseOffset}`)
      }
    } finally {
      await producer.disconnect()
    }
    const oneEach = [...placed.values()].every((partitions) => partitions.size === 1)
    say.line(
      oneEach
        ? 'Every customer stayed on one partition: the hash of the key picks it, so one ' +
            "customer's orders are read back in the order they were sent."
        : 'A key moved between partitions: that should not happen with the default partitioner.',
    )
  },
}
