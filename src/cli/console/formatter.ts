/**
 * How `console-consumer` prints a record: Kafka's `DefaultMessageFormatter` with its
 * `--property` keys and defaults. The chosen fields come in Kafka's order (timestamp,
 * partition, offset, headers, key, value), `key.separator` between them and
 * `line.separator` after the last; a null key, value or header value prints `null.literal`.
 */
import type { ConsumerRecord } from '../../consumer/types.js'
import { booleanProperty, type Properties } from './properties.js'

/** The `--property` keys of `console-consumer`. */
export const FORMATTER_PROPERTIES: ReadonlySet<string> = new Set([
  'print.timestamp',
  'print.key',
  'print.value',
  'print.partition',
  'print.offset',
  'print.headers',
  'key.separator',
  'line.separator',
  'headers.separator',
  'null.literal',
])

/** What a timestamp is, as Kafka prints it before the time. */
export type TimestampType = 'CreateTime' | 'LogAppendTime'

/** The formatter's settings, from the properties. */
export interface RecordFormat {
  /** `print.timestamp` (false): `CreateTime:<ms>` (or `LogAppendTime:<ms>`). */
  readonly printTimestamp: boolean
  /** `print.partition` (false): `Partition:<n>`. */
  readonly printPartition: boolean
  /** `print.offset` (false): `Offset:<n>`. */
  readonly printOffset: boolean
  /** `print.headers` (false): `k1:v1,k2:v2`, or `NO_HEADERS`. */
  readonly printHeaders: boolean
  /** `print.key` (false). */
  readonly printKey: boolean
  /** `print.value` (true). */
  readonly printValue: boolean
  /** `key.separator` (a tab): between the fields. */
  readonly keySeparator: string
  /** `line.separator` (`\n`): after the last field. */
  readonly lineSeparator: string
  /** `headers.separator` (`,`): between two headers. */
  readonly headersSeparator: string
  /** `null.literal` (`null`): printed for a null key, value or header value. */
  readonly nullLiteral: string
}

/** The formatter's settings from the `--property` values. */
export function recordFormat(props: Properties, help: string): RecordFormat {
  return {
    printTimestamp: booleanProperty(props, 'print.timestamp', false, help),
    printPartition: booleanProperty(props, 'print.partition', false, help),
    printOffset: booleanProperty(props, 'print.offset', false, help),
    printHeaders: booleanProperty(props, 'print.headers', false, help),
    printKey: booleanProperty(props, 'print.key', false, help),
    printValue: booleanProperty(props, 'print.value', true, help),
    keySeparator: props.get('key.separator') ?? '\t',
    lineSeparator: props.get('line.separator') ?? '\n',
    headersSeparator: props.get('headers.separator') ?? ',',
    nullLiteral: props.get('null.literal') ?? 'null',
  }
}

function bytesText(bytes: Buffer | null, format: RecordFormat): string {
  return bytes === null ? format.nullLiteral : bytes.toString('utf8')
}

/** Every header in order, repeats included, as Kafka's formatter prints `record.headers()`. */
function headersText(record: ConsumerRecord, format: RecordFormat): string {
  const list = record.headerList
  if (list.length === 0) return 'NO_HEADERS'
  return list
    .map(({ key, value }) => `${key}:${bytesText(value, format)}`)
    .join(format.headersSeparator)
}

/**
 * The text of one record. Like Kafka's, a separator follows each field: `key.separator` when
 * another field comes after it, else `line.separator`; with nothing chosen, nothing prints.
 */
export function formatRecord(
  record: ConsumerRecord,
  format: RecordFormat,
  timestampType: TimestampType = 'CreateTime',
): string {
  const fields: string[] = []
  if (format.printTimestamp) {
    fields.push(record.timestamp === '-1' ? 'NO_TIMESTAMP' : `${timestampType}:${record.timestamp}`)
  }
  if (format.printPartition) fields.push(`Partition:${record.partition}`)
  if (format.printOffset) fields.push(`Offset:${record.offset}`)
  if (format.printHeaders) fields.push(headersText(record, format))
  if (format.printKey) fields.push(bytesText(record.key, format))
  if (format.printValue) fields.push(bytesText(record.value, format))
  if (fields.length === 0) return ''
  return fields.join(format.keySeparator) + format.lineSeparator
}
