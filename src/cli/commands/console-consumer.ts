/**
 * `logkeeper console-consumer --topic <topic>`: Kafka's kafka-console-consumer on a data
 * directory's cluster. It prints the topic's records (values, one a line, by default; more
 * fields with `--property print.key=true`, ...), in a group with `--group` (joined, and what it
 * printed committed) or without one (the topic's partitions assigned), until `--max-messages`,
 * `--timeout-ms`, the end of its input or Ctrl-C; then `Processed a total of N messages` on
 * stderr, as Kafka's tool ends.
 */
import type { Cluster, Topic } from '../../cluster.js'
import { isLogkeeperError } from '../../common/errors.js'
import type { Consumer } from '../../consumer/consumer.js'
import { type CommandContext, DATA_DIR_OPTION } from '../command.js'
import { watchBehind } from '../console/behind.js'
import { type PrintedCount, runConsumeLoop } from '../console/consume-loop.js'
import { type ConsumerSettings, consumerSettings } from '../console/consumer-options.js'
import {
  FORMATTER_PROPERTIES,
  type RecordFormat,
  recordFormat,
  type TimestampType,
} from '../console/formatter.js'
import { consumeProgress } from '../console/progress.js'
import { readProperties } from '../console/properties.js'
import { interruptedStatus, StopRequest, stopOnInputEnd, stopOnInterrupt } from '../console/stop.js'
import { createTopic, timestampTypeOf, topicOrAutoCreated } from '../console/topic.js'
import { EXIT, UsageError, UserError } from '../errors.js'
import { type ClusterCommand, runOnDataDir } from '../open-cluster.js'

const DETAILS = `Prints the records of a topic, one a line (Kafka's DefaultMessageFormatter). Properties
(--property key=value): print.timestamp, print.partition, print.offset, print.headers, print.key
(false), print.value (true): the fields printed, in that order, as CreateTime:<ms>,
Partition:<n>, Offset:<n>, h1:v1,h2:v2 (or NO_HEADERS), key, value; key.separator (a tab)
between fields, line.separator (\\n) after the last; headers.separator (,); null.literal (null).
Consumer configs (--consumer-property, Java names): group.id, client.id, group.instance.id,
auto.offset.reset, partition.assignment.strategy, session.timeout.ms, heartbeat.interval.ms,
max.poll.interval.ms, fetch.max.wait.ms, fetch.min.bytes, fetch.max.bytes,
max.partition.fetch.bytes.

Where it starts: with --group, the group's committed offsets, else (and without --group) the
end of each partition, or its start with --from-beginning. --partition reads one partition
from --offset (latest unless --from-beginning). With --group the consumer joins the group
(sharing the partitions with the group's other members) and commits what it printed, so the
next run with the same group goes on where this one stopped; without one it uses no group,
commits nothing, and reads every partition the topic has when it starts.

When it stops: after --max-messages records; when --timeout-ms passes without a record (the
wait for its partitions, a group's join or a directory's logs loading, does not count); on
Ctrl-C or SIGTERM (exit status 130 / 143, after committing); and, without --max-messages and
--timeout-ms, when its standard input ends, once it has printed what the topic held then. So
'logkeeper console-consumer --topic t01 --from-beginning < /dev/null' prints the topic and
returns; at a terminal, Ctrl-D does the same. The input's data is read and ignored. In
'logkeeper shell' its input has ended already: there it prints what the topic holds and
returns, or waits for --max-messages / --timeout-ms. A topic that does not exist is created
with the cluster's defaults when auto.create.topics.enable is on, else it is an error (exit
status 1). Progress through a long backlog shows on stderr only when stderr is a terminal and
stdout is not. A reader that goes away (| head) ends it quietly, with status 0.

Examples:
  logkeeper console-consumer --topic t01 --from-beginning --max-messages 10
  logkeeper console-consumer --topic t01 --group g01 --timeout-ms 1000 \\
    --property print.key=true --property print.offset=true
  logkeeper console-consumer --topic t01 --partition 0 --offset 42 --max-messages 1
  logkeeper console-consumer --topic t01 --from-beginning < /dev/null | head`

/** Start reading: subscribe in the group, or assign the partition(s) and place them. */
async function startReading(consumer: Consumer, topic: Topic, settings: ConsumerSettings) {
  const { partition, offset } = settings
  if (settings.consumer.groupId !== undefined) {
    await consumer.subscribe({ topics: [topic.name] })
  } else if (partition === undefined) {
    consumer.assign(topic.partitions.map((p) => ({ topic: topic.name, partition: p.id })))
  } else {
    consumer.assign([{ topic: topic.name, partition }])
    consumer.seek({ topic: topic.name, partition, offset: String(offset) })
  }
}

/**
 * The topic, checked to have the partition asked for, and created when it is missing and the
 * cluster creates topics on first use (not when the partition asked for would not exist).
 */
async function topicToRead(cluster: Cluster, settings: ConsumerSettings): Promise<Topic> {
  const found = topicOrAutoCreated(cluster, settings.topic)
  const count = found?.partitions.length ?? cluster.config['num.partitions']
  const { partition } = settings
  if (partition !== undefined && partition >= count) {
    const has = found === undefined ? `it would be created with ${count}` : `it has ${count}`
    throw new UserError(`partition ${partition} of topic ${settings.topic} does not exist (${has})`)
  }
  return found ?? (await createTopic(cluster, settings.topic))
}

/** The consumer of the settings; options it refuses are a usage error. */
function newConsumer(cluster: Cluster, settings: ConsumerSettings, help: string): Consumer {
  try {
    return cluster.consumer(settings.consumer)
  } catch (error) {
    if (isLogkeeperError(error, 'INVALID_ARGUMENT')) throw new UsageError(error.message, help)
    throw error
  }
}

/** What a run prints with. */
interface PrintRun {
  readonly cluster: Cluster
  readonly ctx: CommandContext
  readonly consumer: Consumer
  readonly topic: Topic
  readonly settings: ConsumerSettings
  readonly format: RecordFormat
  readonly timestampType: TimestampType
}

/**
 * Read and print until a limit or a stop; then leave the group (committing what was printed)
 * and report the count, as Kafka's tool does. The exit status: 0, or 130 / 143 after a signal.
 */
async function printRecords(run: PrintRun): Promise<number> {
  const { cluster, consumer, topic, settings } = run
  const { io } = run.ctx
  const stop = new StopRequest()
  const unwatchInterrupts = stopOnInterrupt(io, stop)
  const bounded = settings.maxMessages !== undefined || settings.timeoutMs !== undefined
  const unwatchInput = bounded ? () => undefined : stopOnInputEnd(io.stdin, stop)
  const progress = consumeProgress(io.stdout, io.stderr, cluster.clock)
  const printed: PrintedCount = { value: 0 }
  const behind = watchBehind(cluster, consumer, topic.name)
  try {
    await startReading(consumer, topic, settings)
    const loop = {
      consumer,
      clock: cluster.clock,
      stdout: io.stdout,
      format: run.format,
      timestampType: run.timestampType,
      maxMessages: settings.maxMessages,
      timeoutMs: settings.timeoutMs,
      stop,
      behind: behind.count,
      progress,
    }
    await runConsumeLoop(loop, printed)
  } finally {
    progress.done()
    behind.dispose()
    unwatchInput()
    await consumer.disconnect()
    unwatchInterrupts()
    io.stderr.line(`Processed a total of ${printed.value} messages`)
  }
  const reason = stop.reason
  return reason === undefined || reason === 'input-ended' ? EXIT.OK : interruptedStatus(reason)
}

/** The `console-consumer` command. */
export const consoleConsumerCommand: ClusterCommand = {
  name: 'console-consumer',
  summary: 'print records of a topic (kafka-console-consumer)',
  usage: [
    'console-consumer --topic <topic> [--from-beginning] [--group <group>] [--max-messages <n>]',
    'console-consumer --topic <topic> --partition <n> [--offset earliest|latest|<offset>]',
  ],
  details: DETAILS,
  options: {
    topic: { type: 'string', valueName: 'topic', description: 'REQUIRED: the topic to read' },
    group: { type: 'string', valueName: 'group', description: 'the consumer group to read in' },
    'from-beginning': {
      type: 'boolean',
      description: 'start where no offset is committed at the earliest record, not the end',
    },
    partition: {
      type: 'string',
      valueName: 'n',
      description: 'read only this partition (from the end unless --offset)',
    },
    offset: {
      type: 'string',
      valueName: 'offset',
      description: "with --partition: 'earliest', 'latest' (default) or an offset",
    },
    'max-messages': {
      type: 'string',
      valueName: 'n',
      description: 'stop after printing this many records',
    },
    'timeout-ms': {
      type: 'string',
      valueName: 'ms',
      description: 'stop after this long without a record',
    },
    property: {
      type: 'string',
      multiple: true,
      valueName: 'key=value',
      description: 'a setting of the formatter (print.key=true, key.separator=:, ...)',
    },
    'consumer-property': {
      type: 'string',
      multiple: true,
      valueName: 'key=value',
      description: 'a consumer config by its Java name (session.timeout.ms=10000, ...)',
    },
    'data-dir': DATA_DIR_OPTION,
  },
  run: (ctx) => runOnDataDir(consoleConsumerCommand, ctx),
  async runOn(cluster, ctx) {
    const { values, help } = ctx
    const settings = consumerSettings(values, help)
    const props = readProperties(values, 'property', FORMATTER_PROPERTIES, help)
    const format = recordFormat(props, help)
    const consumer = newConsumer(cluster, settings, help)
    try {
      const topic = await topicToRead(cluster, settings)
      const timestampType = format.printTimestamp
        ? await timestampTypeOf(cluster, topic.name)
        : 'CreateTime'
      return await printRecords({ cluster, ctx, consumer, topic, settings, format, timestampType })
    } finally {
      await consumer.disconnect()
    }
  },
}
