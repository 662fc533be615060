/**
 * `/brokers/ids/<id>`: a live broker's ephemeral registration, in the JSON of Kafka's
 * `BrokerIdZNode` (version 4): listeners, host, port, rack, and the registration time.
 */
import type { BrokerInfo } from '../api.js'
import {
  checkVersion,
  decimalStringField,
  encodeJson,
  intField,
  malformed,
  parseObject,
  stringField,
} from './json.js'

/** The host name of broker `id` in process. */
export function brokerHost(id: number): string {
  return `logkeeper-${id}`
}

/** The port of broker `id` in process. */
export function brokerPort(id: number): number {
  return 9092 + id
}

/** Where broker `id` is reached (host `logkeeper-<id>`, port 9092 + id). */
export function brokerInfo(id: number, rack: string | null = null): BrokerInfo {
  return { nodeId: id, host: brokerHost(id), port: brokerPort(id), rack }
}

/** The registration data of a broker, as Kafka writes it. */
export function encodeBrokerRegistration(info: BrokerInfo, timestampMs: number): Buffer {
  const json: Record<string, unknown> = {
    listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' },
    endpoints: [`PLAINTEXT://${info.host}:${info.port}`],
    jmx_port: -1,
    host: info.host,
    port: info.port,
    timestamp: String(timestampMs),
    version: 4,
  }
  if (info.rack !== null) json.rack = info.rack
  return encodeJson(json)
}

/** Read a broker's registration (`DATA_INCONSISTENCY` when malformed). */
export function decodeBrokerRegistration(
  path: string,
  id: number,
  data: Uint8Array | null,
): BrokerInfo & { readonly timestampMs: number } {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1, 2, 3, 4, 5])
  const host = stringField(path, obj, 'host')
  const port = intField(path, obj, 'port')
  const rack = obj.rack === undefined || obj.rack === null ? null : stringField(path, obj, 'rack')
  if (!Array.isArray(obj.endpoints)) throw malformed(path, '"endpoints" must be an array')
  return { nodeId: id, host, port, rack, timestampMs: decimalStringField(path, obj, 'timestamp') }
}
