/**
 * A small app, as an app would be written against Kafka: orders are published keyed by
 * customer (so one customer's orders stay in order on one partition), and a consumer group
 * keeps a running total per customer. It takes a cluster, so a test can hand it an in-process
 * one (see order-service.test.ts) and production code a real one.
 */
import type { Cluster, Consumer, Producer } from 'logkeeper'

/** One order. */
export interface Order {
  readonly id: string
  readonly customer: string
  readonly amount: number
}

/** Publishes orders to the `orders` topic; every acknowledged order is on three replicas. */
export class OrderService {
  readonly #producer: Producer

  constructor(cluster: Cluster) {
    this.#producer = cluster.producer({ acks: 'all', idempotent: true })
  }

  /** Publish an order; resolves once it is committed (readable by every consumer). */
  async placeOrder(order: Order): Promise<void> {
    await this.#producer.send({
      topic: 'orders',
      messages: [{ key: order.customer, value: JSON.stringify(order) }],
    })
  }

  async close(): Promise<void> {
    await this.#producer.disconnect()
  }
}

/** Keeps a total per customer from the `orders` topic, as one member of the `totals` group. */
export class CustomerTotals {
  readonly totals = new Map<string, number>()
  readonly seen = new Set<string>()
  readonly #consumer: Consumer

  constructor(cluster: Cluster) {
    this.#consumer = cluster.consumer({ groupId: 'totals', autoOffsetReset: 'earliest' })
  }

  async start(): Promise<void> {
    await this.#consumer.subscribe({ topics: ['orders'] })
    await this.#consumer.run({
      eachMessage: async ({ message }) => {
        const order = JSON.parse(String(message.value)) as Order
        if (this.seen.has(order.id)) return // at-least-once delivery: count each order once
        this.seen.add(order.id)
        this.totals.set(order.customer, (this.totals.get(order.customer) ?? 0) + order.amount)
      },
    })
  }

  async close(): Promise<void> {
    await this.#consumer.disconnect()
  }
}
