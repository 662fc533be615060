/**
 * `--to-datetime` values, read as Kafka's `Utils.getDateTime` reads them:
 * `yyyy-MM-dd'T'HH:mm:ss.SSS`, then optionally a zone (`Z`, `+08`, `+0800`, `+08:00`); without
 * a zone the time is UTC. Fields out of range (month 13, February 30) are refused, as Java's
 * strict `SimpleDateFormat` refuses them.
 */

const FORMAT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::?\d{2})?)?$/

/** The zone's offset from UTC in minutes (`Z` and none are 0); undefined when out of range. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 23 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/** Milliseconds since the epoch of `text`, or undefined when it is not in Kafka's format. */
export function parseKafkaDateTime(text: string): number | undefined {
  const m = FORMAT.exec(text.trim())
  if (m === null) return undefined
  const [year, month, day, hour, minute, second, milli] = m.slice(1, 8).map(Number) as number[]
  const offset = zoneMinutes(m[8])
  if (offset === undefined) return undefined
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, milli!)
  const back = new Date(utc)
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month! - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second
  return exact ? utc - offset * 60_000 : undefined
}
