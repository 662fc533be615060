/**
 * How `console-producer` turns a line into a record: Kafka's `LineMessageReader` with its
 * `--property` keys and defaults. With `parse.headers` a line is `h1:v1,h2:v2<TAB>rest`, with
 * `parse.key` the rest is `key<TAB>value`; a field equal to `null.marker` becomes null. A line
 * that lacks a separator is an error naming the line, in Kafka's words, unless `ignore.error`.
 */
import type { Message, MessageHeaders } from '../../producer/message.js'
import { UsageError, UserError } from '../errors.js'
import { booleanProperty, type Properties } from './properties.js'

/** The `--property` keys of `console-producer`. */
export const READER_PROPERTIES: ReadonlySet<string> = new Set([
  'parse.key',
  'key.separator',
  'parse.headers',
  'headers.delimiter',
  'headers.separator',
  'headers.key.separator',
  'ignore.error',
  'null.marker',
])

/** The reader's settings, from the properties. */
export interface LineFormat {
  /** `parse.key` (false). */
  readonly parseKey: boolean
  /** `key.separator` (a tab). */
  readonly keySeparator: string
  /** `parse.headers` (false). */
  readonly parseHeaders: boolean
  /** `headers.delimiter` (a tab): between the headers and the rest of the line. */
  readonly headersDelimiter: string
  /** `headers.separator` (`,`): between two headers. */
  readonly headersSeparator: string
  /** `headers.key.separator` (`:`): between a header's key and value. */
  readonly headersKeySeparator: string
  /** `ignore.error` (false): a missing separator makes a null field instead of an error. */
  readonly ignoreError: boolean
  /** `null.marker` (none): a key, value or header value equal to it is null. */
  readonly nullMarker: string | undefined
}

function checkDistinct(format: LineFormat, help: string): void {
  const pairs: [keyof LineFormat, string, keyof LineFormat, string][] = [
    ['headersDelimiter', 'headers.delimiter', 'headersSeparator', 'headers.separator'],
    ['headersDelimiter', 'headers.delimiter', 'headersKeySeparator', 'headers.key.separator'],
    ['headersSeparator', 'headers.separator', 'headersKeySeparator', 'headers.key.separator'],
    ['nullMarker', 'null.marker', 'keySeparator', 'key.separator'],
    ['nullMarker', 'null.marker', 'headersSeparator', 'headers.separator'],
    ['nullMarker', 'null.marker', 'headersDelimiter', 'headers.delimiter'],
    ['nullMarker', 'null.marker', 'headersKeySeparator', 'headers.key.separator'],
  ]
  for (const [a, nameA, b, nameB] of pairs) {
    if (format[a] === format[b])
      throw new UsageError(`${nameA} and ${nameB} may not be equal`, help)
  }
  for (const [sep, name] of [
    [format.keySeparator, 'key.separator'],
    [format.headersDelimiter, 'headers.delimiter'],
    [format.headersSeparator, 'headers.separator'],
    [format.headersKeySeparator, 'headers.key.separator'],
  ] as const) {
    if (sep === '') throw new UsageError(`${name} may not be empty`, help)
  }
}

/** The reader's settings from the `--property` values (usage errors for conflicts). */
export function lineFormat(props: Properties, help: string): LineFormat {
  const format: LineFormat = {
    parseKey: booleanProperty(props, 'parse.key', false, help),
    keySeparator: props.get('key.separator') ?? '\t',
    parseHeaders: booleanProperty(props, 'parse.headers', false, help),
    headersDelimiter: props.get('headers.delimiter') ?? '\t',
    headersSeparator: props.get('headers.separator') ?? ',',
    headersKeySeparator: props.get('headers.key.separator') ?? ':',
    ignoreError: booleanProperty(props, 'ignore.error', false, help),
    nullMarker: props.get('null.marker'),
  }
  checkDistinct(format, help)
  return format
}

/** Kafka's message for a line that lacks a separator. */
function missing(what: string, lineNumber: number, line: string): UserError {
  return new UserError(`No ${what} found on line number ${lineNumber}: '${line}'`)
}

/** The field of `line` from `start` up to `separator`, or null (not parsed, or ignored). */
function field(
  enabled: boolean,
  line: string,
  start: number,
  separator: string,
  what: string,
  lineNumber: number,
  format: LineFormat,
): string | null {
  if (!enabled) return null
  const at = line.indexOf(separator, start)
  if (at >= 0) return line.slice(start, at)
  if (format.ignoreError) return null
  throw missing(what, lineNumber, line)
}

/** Split as Java's `String.split` does: trailing empty parts dropped (but '' stays ['']). */
function splitJava(text: string, separator: string): string[] {
  const parts = text.split(separator)
  if (text === '') return parts
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

function parseHeaders(text: string, lineNumber: number, format: LineFormat): MessageHeaders {
  const headers: Record<string, (string | null)[]> = {}
  for (const pair of splitJava(text, format.headersSeparator)) {
    const at = pair.indexOf(format.headersKeySeparator)
    if (at < 0 && !format.ignoreError) {
      throw new UserError(
        `No header key separator found in pair '${pair}' on line number ${lineNumber}`,
      )
    }
    const key = at < 0 ? pair : pair.slice(0, at)
    if (key === format.nullMarker) {
      throw new UserError(
        `Header keys should not be equal to the null marker '${key}' as they can't be null`,
      )
    }
    const raw = at < 0 ? null : pair.slice(at + format.headersKeySeparator.length)
    const value = raw === format.nullMarker ? null : raw
    const list = headers[key] ?? []
    list.push(value)
    headers[key] = list
  }
  const out: Record<string, string | null | (string | null)[]> = {}
  for (const [key, list] of Object.entries(headers)) out[key] = list.length === 1 ? list[0]! : list
  return out as MessageHeaders
}

/** The record of line number `lineNumber` (1-based), or a {@link UserError} naming the line. */
export function parseLine(line: string, lineNumber: number, format: LineFormat): Message {
  const { headersDelimiter, keySeparator, nullMarker } = format
  const headers = field(
    format.parseHeaders,
    line,
    0,
    headersDelimiter,
    'headers delimiter',
    lineNumber,
    format,
  )
  const headerEnd = headers === null ? 0 : headers.length + headersDelimiter.length
  const key = field(
    format.parseKey,
    line,
    headerEnd,
    keySeparator,
    'key separator',
    lineNumber,
    format,
  )
  const keyEnd = key === null ? 0 : key.length + keySeparator.length
  const value = line.slice(headerEnd + keyEnd)
  return {
    key: key === null || key === nullMarker ? null : key,
    value: value === nullMarker ? null : value,
    ...(headers === null || headers === nullMarker
      ? {}
      : { headers: parseHeaders(headers, lineNumber, format) }),
  }
}
