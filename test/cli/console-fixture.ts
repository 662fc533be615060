/**
 * What the console-producer and console-consumer tests share: a data directory prepared in
 * the test process (its settings recorded, its topics created, its records produced) before
 * the CLI opens it, a look at what it holds after the CLI has exited, and an in-memory
 * {@link CliIo} for running a command's `runOn` in process (terminal flags, prompts).
 */
import { PassThrough } from 'node:stream'
import type { CliIo, InterruptSignal, Output } from '../../src/cli/io.js'
import { type Cluster, createCluster } from '../../src/cluster.js'
import type { Message } from '../../src/producer/message.js'
import { type ReadRecord, readCommitted } from '../support/cluster-reader.js'

/** A topic to create before the CLI runs. */
export interface TopicSpec {
  readonly topic: string
  readonly numPartitions?: number
  readonly configs?: Readonly<Record<string, string>>
}

/** How to prepare a data directory. */
export interface DirSpec {
  /** Broker settings the directory records (the CLI runs with them). */
  readonly config?: Readonly<Record<string, string | number | boolean>>
  readonly topics?: readonly TopicSpec[]
  /** Records to produce, per topic. */
  readonly records?: Readonly<Record<string, readonly Message[]>>
}

/**
 * Open `dir`'s cluster in this process, run `use`, close it. With `config`, the directory
 * records those settings (a group's first rebalance not waiting, unless they say otherwise)
 * in place of its own; without, it keeps the ones it recorded.
 */
export async function withDir<T>(
  dir: string,
  use: (cluster: Cluster) => Promise<T>,
  config?: DirSpec['config'],
): Promise<T> {
  const cluster = await createCluster({
    dataDir: dir,
    ...(config === undefined
      ? {}
      : { config: { 'group.initial.rebalance.delay.ms': 0, ...config } }),
  })
  try {
    return await use(cluster)
  } finally {
    await cluster.close()
  }
}

/** Create `dir` with its settings, topics and records, and close it for the CLI. */
export async function prepareDir(dir: string, spec: DirSpec = {}): Promise<void> {
  await withDir(
    dir,
    async (cluster) => {
      if (spec.topics !== undefined && spec.topics.length > 0) {
        await cluster.admin().createTopics({ topics: spec.topics.map((t) => ({ ...t })) })
      }
      const producer = cluster.producer()
      for (const [topic, messages] of Object.entries(spec.records ?? {})) {
        await producer.send({ topic, messages })
      }
    },
    spec.config ?? {},
  )
}

/**
 * Wait until the leaders of `topic`'s partitions have loaded them: a reopened directory's
 * cluster knows its topics when `createCluster` resolves, but loads the partitions' logs just
 * after (their high watermark is -1 until then).
 */
async function untilLoaded(cluster: Cluster, topic: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (cluster.topic(topic).partitions.every((p) => p.highWatermark >= 0)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`the partitions of ${topic} were not loaded within 10 s`)
}

/** Every record of each partition of `topic` in `dir`, partition by partition. */
export function readDir(dir: string, topic: string): Promise<ReadRecord[][]> {
  return withDir(dir, async (cluster) => {
    await untilLoaded(cluster, topic)
    const count = cluster.topic(topic).partitions.length
    const out: ReadRecord[][] = []
    for (let p = 0; p < count; p++) out.push(await readCommitted(cluster, topic, p))
    return out
  })
}

/** The offsets `group` has committed for `topic` in `dir`, by partition (null: none). */
export function committedOffsets(
  dir: string,
  group: string,
  topic: string,
): Promise<(string | null)[]> {
  return withDir(dir, async (cluster) => {
    const [offsets] = await cluster.admin().fetchOffsets({ groupId: group, topics: [topic] })
    return (offsets?.partitions ?? [])
      .slice()
      .sort((a, b) => a.partition - b.partition)
      .map((p) => (p.offset === '-1' ? null : p.offset))
  })
}

/** An {@link Output} that keeps what is written. */
export class MemoryOutput implements Output {
  readonly isTTY: boolean
  text = ''

  constructor(isTTY: boolean) {
    this.isTTY = isTTY
  }

  write(text: string): void {
    this.text += text
  }

  line(text = ''): void {
    this.write(`${text}\n`)
  }

  async ready(): Promise<void> {}

  async flush(): Promise<void> {}
}

/** An in-memory {@link CliIo}: stdin a stream the test writes to, outputs kept, Ctrl-C on call. */
export function memoryIo(terminal: boolean): CliIo & {
  stdin: PassThrough
  stdout: MemoryOutput
  stderr: MemoryOutput
  interrupt(signal: InterruptSignal): void
} {
  const listeners = new Set<(signal: InterruptSignal) => void>()
  return {
    stdin: new PassThrough(),
    stdout: new MemoryOutput(terminal),
    stderr: new MemoryOutput(terminal),
    stdinIsTTY: terminal,
    terminal: new PassThrough(),
    onInterrupt: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    interrupt: (signal) => {
      for (const listener of [...listeners]) listener(signal)
    },
  }
}
