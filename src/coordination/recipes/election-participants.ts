/**
 * What an election's nodes hold, and reading them back: each participant's node stores
 * `{"id": ..., "data": ...}` as UTF-8 JSON, so anyone can see who leads and how to reach it.
 */
import { isLogkeeperError } from '../../common/errors.js'
import type { CoordinatorClient } from '../types.js'
import { joinPath, sortBySequence } from './znode-paths.js'

/** The marker of election nodes: `_c_<uuid>-latch-<sequence>`. */
export const LATCH_MARKER = 'latch-'

/** One participant of an election. */
export interface Participant {
  /** The participant's id (`options.id`). */
  readonly id: string
  /** Its data (`options.data`), or null. */
  readonly data: string | null
  /** Its node. */
  readonly path: string
  /** Whether it is the leader (its node is the lowest). */
  readonly isLeader: boolean
}

/** The bytes an election node holds. */
export function encodeParticipant(id: string, data: string | null): string {
  return JSON.stringify({ id, data })
}

function decode(bytes: Buffer | null): { id: string; data: string | null } {
  try {
    const value = JSON.parse(bytes?.toString('utf8') ?? 'null') as { id?: unknown; data?: unknown }
    return {
      id: typeof value?.id === 'string' ? value.id : '',
      data: typeof value?.data === 'string' ? value.data : null,
    }
  } catch {
    return { id: '', data: null }
  }
}

/** Every participant, leader first; nodes that go while being read are skipped. */
export async function readParticipants(
  client: CoordinatorClient,
  path: string,
): Promise<Participant[]> {
  let names: string[]
  try {
    names = sortBySequence(await client.getChildren(path), LATCH_MARKER)
  } catch (error) {
    if (isLogkeeperError(error, 'NO_NODE')) return []
    throw error
  }
  const out: Participant[] = []
  for (const name of names) {
    const nodePath = joinPath(path, name)
    try {
      const { data } = await client.getData(nodePath)
      out.push({ ...decode(data), path: nodePath, isLeader: out.length === 0 })
    } catch (error) {
      if (!isLogkeeperError(error, 'NO_NODE')) throw error
    }
  }
  return out
}
