/**
 * Where snapshots are kept (ZooKeeper's `SnapShot`). {@link LevelSnapshotStore} writes a
 * snapshot in one atomic batch: its nodes in chunks under sublevel `snap-data`
 * (`<zxid>/<chunk>`), then its header (sessions, chunk count) under `snap` keyed by zxid; a
 * snapshot exists once its header does.
 */
import type { AbstractLevel } from 'abstract-level'
import type { AnyLevel } from '../../storage/level-tables.js'
import { ByteReader, ByteWriter } from './bytes.js'
import { decodeNodes, encodeNodes, type Snapshot, type SnapshotNode } from './snapshot.js'
import { zxidKey } from './txn-log.js'

/** Where snapshots are kept. */
export interface SnapshotStore {
  /** Save a snapshot; resolves once it is durable. */
  save(snapshot: Snapshot): Promise<void>
  /** The zxids of the saved snapshots, ascending. */
  list(): Promise<number[]>
  /** Load the snapshot taken at `zxid`. */
  load(zxid: number): Promise<Snapshot | undefined>
  /** Delete the snapshot taken at `zxid`. */
  remove(zxid: number): Promise<void>
}

const NODES_PER_CHUNK = 1000

type Level = AbstractLevel<unknown, string, Uint8Array>

/** A {@link SnapshotStore} in an abstract-level database (a sublevel of the caller's). */
export class LevelSnapshotStore implements SnapshotStore {
  readonly #meta: Level
  readonly #data: Level

  /**
   * Snapshots in the caller's database.
   *
   * @param db - a database or sublevel of the caller's; snapshots go in a sublevel of it
   */
  constructor(db: AnyLevel) {
    const options = { keyEncoding: 'utf8', valueEncoding: 'view' } as const
    this.#meta = db.sublevel<string, Uint8Array>('snap', options)
    this.#data = db.sublevel<string, Uint8Array>('snap-data', options)
  }

  async save(snapshot: Snapshot): Promise<void> {
    const key = zxidKey(snapshot.zxid)
    const batch = this.#meta.batch()
    let chunks = 0
    for (let i = 0; i < snapshot.nodes.length; i += NODES_PER_CHUNK) {
      const nodes = snapshot.nodes.slice(i, i + NODES_PER_CHUNK)
      batch.put(`${key}/${zxidKey(chunks++)}`, encodeNodes(nodes), {
        sublevel: this.#data as never,
      })
    }
    const header = new ByteWriter(64).f64(snapshot.zxid).i32(chunks).i32(snapshot.sessions.length)
    for (const [id, timeoutMs] of snapshot.sessions) header.f64(id).f64(timeoutMs)
    batch.put(key, header.finish())
    await batch.write({ sync: true } as object)
  }

  async list(): Promise<number[]> {
    const keys = await this.#meta.keys().all()
    return keys.map((k) => Number.parseInt(k, 16))
  }

  async load(zxid: number): Promise<Snapshot | undefined> {
    const key = zxidKey(zxid)
    const header = await this.#meta.get(key)
    if (header === undefined) return undefined
    const r = new ByteReader(header)
    r.f64()
    const chunks = r.i32()
    const sessions: Array<[number, number]> = []
    for (let n = r.i32(); n > 0; n--) sessions.push([r.f64(), r.f64()])
    const nodes: SnapshotNode[] = []
    const values = await this.#data.values({ gt: `${key}/`, lt: `${key}0` }).all()
    if (values.length !== chunks) throw new RangeError(`snapshot ${key} is missing chunks`)
    for (const value of values) for (const node of decodeNodes(value)) nodes.push(node)
    return { zxid, sessions, nodes }
  }

  async remove(zxid: number): Promise<void> {
    const key = zxidKey(zxid)
    await this.#meta.del(key)
    await this.#data.clear({ gt: `${key}/`, lt: `${key}0` })
  }
}
