/**
 * Coordinator workloads written against the `CoordinatorClient` interface only, so the same
 * code measures logkeeper's coordinator and a real ZooKeeper (through the test adapter).
 */
import type { CoordinatorClient, WatchedEvent } from '../../src/coordination/types.js'
import { type Measurement, measure, percentiles } from '../harness.js'

const DATA_100 = Buffer.alloc(100, 0x61)

/** Throughput of one operation kind, one request at a time and `inFlight` at once. */
export async function opThroughput(
  client: CoordinatorClient,
  root: string,
  kind: 'create' | 'setData' | 'getData' | 'exists',
  inFlight: number,
  seconds: number,
): Promise<Measurement> {
  const base = `${root}/${kind}-${inFlight}`
  await client.create(base, '')
  await client.create(`${base}/n`, DATA_100)
  let seq = 0
  const one = (): Promise<unknown> => {
    switch (kind) {
      case 'create':
        return client.create(`${base}/c${seq++}`, DATA_100)
      case 'setData':
        return client.setData(`${base}/n`, DATA_100)
      case 'getData':
        return client.getData(`${base}/n`)
      default:
        return client.exists(`${base}/n`)
    }
  }
  const call = inFlight === 1 ? one : () => Promise.all(Array.from({ length: inFlight }, one))
  return measure(call, { seconds, opsPerCall: inFlight, warmupCalls: 10 })
}

/**
 * Latency (µs) from a setData call by one client to the watch event at another, p50 and p99,
 * after `samples / 10` unrecorded rounds (as `measure` warms up): the first rounds run the
 * watch path cold (interpreter, compilation) and would otherwise be most of the 1% tail.
 */
export async function watchLatency(
  watcher: CoordinatorClient,
  writer: CoordinatorClient,
  root: string,
  samples: number,
): Promise<{ p50: number; p99: number }> {
  const path = `${root}/watched`
  await writer.create(path, '')
  const warmup = Math.ceil(samples / 10)
  const latencies: number[] = []
  for (let i = -warmup; i < samples; i++) {
    let start = 0n
    const fired = new Promise<WatchedEvent>((resolve) => {
      void watcher.getData(path, { watch: resolve }).then(() => {
        start = process.hrtime.bigint()
        void writer.setData(path, 'x')
      })
    })
    await fired
    if (i >= 0) latencies.push(Number(process.hrtime.bigint() - start) / 1000)
  }
  const [p50 = NaN, p99 = NaN] = percentiles(latencies, [50, 99])
  return { p50, p99 }
}

/**
 * Acquire/release cycles of the ZooKeeper lock recipe (ephemeral-sequential node, watch the
 * predecessor only) by two contenders at once, counted over `seconds`.
 */
export async function lockCycles(
  a: CoordinatorClient,
  b: CoordinatorClient,
  root: string,
  seconds: number,
): Promise<Measurement> {
  const dir = `${root}/lock`
  await a.create(dir, '')
  let cycles = 0
  // The in-process coordinator answers through promise callbacks only, so a timer might never
  // get a turn: the contenders watch the clock themselves.
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(Math.round(seconds * 1e9))
  const contender = async (client: CoordinatorClient) => {
    while (process.hrtime.bigint() < deadline) {
      const { path } = await client.create(`${dir}/l-`, '', { mode: 'ephemeral-sequential' })
      const me = path.slice(dir.length + 1)
      for (;;) {
        const children = (await client.getChildren(dir)).sort()
        const i = children.indexOf(me)
        if (i === 0) break
        const gone = new Promise<void>((resolve) => {
          void client
            .exists(`${dir}/${children[i - 1]}`, { watch: () => resolve() })
            .then((stat) => stat === null && resolve())
        })
        await gone
      }
      cycles++
      await client.delete(path)
    }
  }
  await Promise.all([contender(a), contender(b)])
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  return { opsPerSec: cycles / secs, ops: cycles, seconds: secs }
}

/** Heap and buffer bytes per znode with 100 bytes of data (needs `--expose-gc`), over `count` nodes. */
export async function bytesPerZnode(client: CoordinatorClient, root: string, count: number) {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return NaN
  const dir = `${root}/mem`
  await client.create(dir, '')
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  gc()
  const before = used()
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, k) => client.create(`${dir}/node-${i + k}`, DATA_100)),
    )
  }
  gc()
  return (used() - before) / count
}
