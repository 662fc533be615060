/**
 * `/controller` (the active controller's ephemeral node, Kafka's `ControllerZNode` version 1)
 * and `/controller_epoch` (a decimal number: how many controllers there have been).
 */
import { fromCode } from '../../common/errors.js'
import { checkVersion, encodeJson, intField, malformed, parseObject } from './json.js'

/** The controller node's data. */
export function encodeController(brokerId: number, timestampMs: number): Buffer {
  return encodeJson({ version: 1, brokerid: brokerId, timestamp: String(timestampMs) })
}

/** The controller's broker id from its node's data. */
export function decodeController(path: string, data: Uint8Array | null): number {
  const obj = parseObject(path, data)
  checkVersion(path, obj, [1])
  return intField(path, obj, 'brokerid')
}

/** The controller epoch's data. */
export function encodeControllerEpoch(epoch: number): Buffer {
  return Buffer.from(String(epoch), 'utf8')
}

/** The controller epoch from its node's data. */
export function decodeControllerEpoch(path: string, data: Uint8Array | null): number {
  const text = data === null ? '' : Buffer.from(data).toString('utf8')
  if (!/^\d+$/.test(text)) throw malformed(path, 'not a decimal epoch')
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw fromCode('DATA_INCONSISTENCY', `epoch too large at ${path}`)
  return n
}
