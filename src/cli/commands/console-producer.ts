/**
 * `logkeeper console-producer --topic <topic>`: Kafka's kafka-console-producer on a data
 * directory's cluster. Each line of the input is one record (its key and headers parsed out
 * with `--property parse.key=true` / `parse.headers=true`, as Kafka's LineMessageReader does);
 * the command returns once every record is acknowledged. A line that cannot be parsed stops
 * the reading with exit status 1, naming the line; the lines before it stay sent, as in Kafka.
 */
import type { Cluster } from '../../cluster.js'
import { isLogkeeperError } from '../../common/errors.js'
import type { Producer } from '../../producer/producer.js'
import { requireString } from '../args.js'
import { type CommandContext, DATA_DIR_OPTION } from '../command.js'
import { inputLines } from '../console/input-lines.js'
import {
  type LineFormat,
  lineFormat,
  parseLine,
  READER_PROPERTIES,
} from '../console/line-reader.js'
import { type ConsoleProducerOptions, consoleProducerOptions } from '../console/producer-options.js'
import { readProperties } from '../console/properties.js'
import { RecordSender } from '../console/record-sender.js'
import { interruptedStatus, StopRequest, stopOnInterrupt } from '../console/stop.js'
import { checkTopicName, topicOrAutoCreated } from '../console/topic.js'
import { EXIT, UsageError, UserError } from '../errors.js'
import type { CliIo } from '../io.js'
import { type ClusterCommand, runOnDataDir } from '../open-cluster.js'

const DETAILS = `Reads records from standard input, one a line (a line ends at \\n, \\r\\n or \\r; an
empty line is an empty record), and sends them to the topic. Properties (--property key=value):
  parse.key=false        the line holds a key: key<key.separator>value
  key.separator=<TAB>    between key and value
  parse.headers=false    the line starts with headers: h1:v1,h2:v2<headers.delimiter>...
  headers.delimiter=<TAB> headers.separator=,  headers.key.separator=:
  null.marker=<none>     a key, value or header value equal to it is sent as null
  ignore.error=false     a missing separator makes a null key (or no headers) instead of an error
Producer configs (--producer-property, Java names): acks, linger.ms, batch.size, retries,
retry.backoff.ms, retry.backoff.max.ms, request.timeout.ms, delivery.timeout.ms,
max.request.size, max.in.flight.requests.per.connection, enable.idempotence,
compression.type (none only), client.id. An option (--request-required-acks, --timeout, ...)
wins over the same config given as a property. Unlike Kafka's tool (3 retries, a 1500 ms
request timeout), a failed batch is retried until delivery.timeout.ms (120000), with the
producer's 30000 ms request timeout.

The command returns once every record read has been acknowledged (or has failed: each failure
prints a line, and the exit status is then 1). A line without its separator (parse.key or
parse.headers) stops the reading: exit status 1 with Kafka's message naming the line; the lines
before it stay sent, the lines after it are not read. A topic that does not exist is created
with the cluster's defaults on the first record when auto.create.topics.enable is on, else
it is an error (exit status 1). On a terminal, Kafka's '>' prompt is shown before each line;
Ctrl-D ends the input. Ctrl-C (or SIGTERM) stops the reading, waits for what was sent, and exits
with status 130 (143). Run from 'logkeeper shell', it reads the lines that follow it there.

Examples:
  echo 'hello' | logkeeper console-producer --topic t01
  logkeeper console-producer --topic t01 --property parse.key=true --property key.separator=: \\
    < orders.txt
  printf 'source:web\\tk1\\tv1\\n' | logkeeper console-producer --topic t01 \\
    --property parse.headers=true --property parse.key=true --producer-property acks=1`

/** Everything a run needs, from the command line. */
interface ProducerSettings {
  readonly topic: string
  readonly format: LineFormat
  readonly sync: boolean
  readonly producer: ConsoleProducerOptions
}

function settingsOf(ctx: CommandContext): ProducerSettings {
  const { values, help } = ctx
  const topic = requireString(values, 'topic', help)
  checkTopicName(topic, help)
  const props = readProperties(values, 'property', READER_PROPERTIES, help)
  return {
    topic,
    format: lineFormat(props, help),
    sync: values.sync === true,
    producer: consoleProducerOptions(values, help),
  }
}

function newProducer(cluster: Cluster, options: ConsoleProducerOptions, help: string): Producer {
  try {
    return cluster.producer(options)
  } catch (error) {
    if (isLogkeeperError(error, 'INVALID_ARGUMENT')) throw new UsageError(error.message, help)
    throw error
  }
}

/** Kafka prints its prompt when both ends are a terminal (`System.console() != null`). */
function promptFor(io: CliIo): () => void {
  const show = io.stdinIsTTY && io.stdout.isTTY
  return () => {
    if (show) io.stdout.write('>')
  }
}

/** Read and send every line until the input ends, a stop is asked, or a line is malformed. */
async function sendLines(
  io: CliIo,
  settings: ProducerSettings,
  sender: RecordSender,
  stop: StopRequest,
): Promise<void> {
  const prompt = promptFor(io)
  const lines = inputLines(io.stdin)
  let lineNumber = 0
  prompt()
  for (;;) {
    const next = await Promise.race([lines.next(), stop.requested])
    if (typeof next === 'string' || next.done === true) return
    for (const line of next.value) {
      const sent = sender.send(parseLine(line, ++lineNumber, settings.format))
      if (settings.sync) await sent
    }
    await sender.room()
    prompt()
  }
}

/** The `console-producer` command. */
export const consoleProducerCommand: ClusterCommand = {
  name: 'console-producer',
  summary: 'send stdin lines as records (kafka-console-producer)',
  usage: [
    'console-producer --topic <topic> [--property key=value]... [--producer-property key=value]...',
  ],
  details: DETAILS,
  options: {
    topic: { type: 'string', valueName: 'topic', description: 'REQUIRED: the topic to send to' },
    property: {
      type: 'string',
      multiple: true,
      valueName: 'key=value',
      description: 'a setting of the line reader (parse.key, key.separator, ...; see below)',
    },
    'producer-property': {
      type: 'string',
      multiple: true,
      valueName: 'key=value',
      description: 'a producer config by its Java name (acks=all, linger.ms=5, ...)',
    },
    'request-required-acks': {
      type: 'string',
      valueName: 'acks',
      description: 'acks of the produce requests: all, -1, 0 or 1 (default -1)',
    },
    'request-timeout-ms': {
      type: 'string',
      valueName: 'ms',
      description: 'request.timeout.ms (default 30000, the producer default)',
    },
    timeout: {
      type: 'string',
      valueName: 'ms',
      description: 'linger.ms: how long a batch waits for more records (default 1000)',
    },
    'batch-size': { type: 'string', valueName: 'bytes', description: 'batch.size (default 16384)' },
    'message-send-max-retries': {
      type: 'string',
      valueName: 'n',
      description: 'retries of a failed batch (default: until delivery.timeout.ms)',
    },
    'retry-backoff-ms': {
      type: 'string',
      valueName: 'ms',
      description: 'wait before a retry (default 100)',
    },
    'compression-codec': {
      type: 'string',
      valueName: 'codec',
      description: 'only none (compression is not built yet)',
    },
    sync: { type: 'boolean', description: 'send one record at a time, each acknowledged first' },
    'data-dir': DATA_DIR_OPTION,
  },
  run: (ctx) => runOnDataDir(consoleProducerCommand, ctx),
  async runOn(cluster, ctx) {
    const settings = settingsOf(ctx)
    topicOrAutoCreated(cluster, settings.topic)
    const producer = newProducer(cluster, settings.producer, ctx.help)
    const sender = new RecordSender(producer, settings.topic, ctx.io.stderr)
    const stop = new StopRequest()
    const unwatch = stopOnInterrupt(ctx.io, stop)
    try {
      await sendLines(ctx.io, settings, sender, stop)
    } finally {
      await sender.finish()
      await producer.disconnect()
      unwatch()
    }
    if (sender.failed > 0) {
      throw new UserError(
        `${sender.failed} of ${sender.failed + sender.sent} records were not sent`,
      )
    }
    const reason = stop.reason
    return reason === undefined || reason === 'input-ended' ? EXIT.OK : interruptedStatus(reason)
  },
}
