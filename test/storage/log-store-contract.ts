/**
 * The log-store contract: one suite every {@link LogStore} passes (memory, files, abstract-level),
 * in the manner of abstract-level's shared test suite. Optional features are switched on by
 * `supports`; `reopen` is given by persistent stores.
 */
import { describe, expect, it } from 'vitest'
import type { LogStore, PartitionStore, TopicPartition } from '../../src/storage/log-store.js'

/** What an implementation under test offers. */
export interface LogStoreContractOptions {
  /** A fresh, empty store. */
  factory: () => Promise<LogStore>
  /** Open again the place a closed store kept its data (persistent stores only). */
  reopen?: (closed: LogStore) => Promise<LogStore>
  supports: {
    /** Data survives closing the store and {@link reopen}ing it. */
    persistence: boolean
  }
}

/** The error code of whatever `fn` throws or rejects with (`undefined` if it succeeds). */
export async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn()
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE'
  }
  return undefined
}

const TP: TopicPartition = { topic: 'orders', partition: 0 }

/** `n` bytes counting up from `seed`, so that any misplaced byte shows. */
export function bytes(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff)
}

/** Bytes as hex, so Buffers and Uint8Arrays compare equal. */
export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')
}

async function readAll(p: PartitionStore, base: number): Promise<Uint8Array> {
  const seg = p.segments().find((s) => s.baseOffset === base)
  return p.read(base, 0, seg?.sizeBytes ?? 0)
}

/** Three segments at 0, 100 and 200, 300 bytes each (in chunks of 100), with index entries. */
async function threeSegments(p: PartitionStore): Promise<void> {
  for (const base of [0, 100, 200]) {
    p.roll(base)
    for (let i = 0; i < 3; i++) {
      const position = p.append(bytes(100, base + i))
      p.appendOffsetIndex(base, { offset: base + i * 10, position })
      p.appendTimeIndex(base, { timestamp: 1_000 + base + i, offset: base + i * 10 })
    }
  }
}

/** Run the contract against one implementation. */
export function logStoreContract(name: string, options: LogStoreContractOptions): void {
  const { factory, reopen, supports } = options

  const withPartition = async (fn: (p: PartitionStore, store: LogStore) => Promise<void>) => {
    const store = await factory()
    try {
      await fn(await store.openPartition(TP), store)
    } finally {
      await store.close()
    }
  }

  describe(`log store contract: ${name}`, () => {
    it('starts empty and refuses appends before the first roll', () =>
      withPartition(async (p) => {
        expect(p.topicPartition).toEqual(TP)
        expect(p.segments()).toEqual([])
        expect(await codeOf(() => p.append(bytes(3)))).toBe('INVALID_ARGUMENT')
      }))

    it('appends to the active segment and reads at positions, across chunks, short at the end', () =>
      withPartition(async (p) => {
        p.roll(0)
        expect(p.append(bytes(10, 1))).toBe(0)
        expect(p.append(bytes(20, 2))).toBe(10)
        expect(p.segments()).toEqual([{ baseOffset: 0, sizeBytes: 30 }])
        expect(hex(await p.read(0, 0, 10))).toBe(hex(bytes(10, 1)))
        const spanning = await p.read(0, 5, 10)
        expect(hex(spanning)).toBe(
          hex(Uint8Array.from([...bytes(10, 1).slice(5), ...bytes(20, 2).slice(0, 5)])),
        )
        expect(hex(await p.read(0, 25, 100))).toBe(hex(bytes(20, 2).slice(15)))
        expect((await p.read(0, 30, 10)).length).toBe(0)
        expect((await p.read(0, 99, 10)).length).toBe(0)
        expect((await p.read(0, 3, 0)).length).toBe(0)
      }))

    it('rolls to later segments only; appends go to the newest', () =>
      withPartition(async (p) => {
        p.roll(5)
        p.append(bytes(4, 1))
        expect(await codeOf(() => p.roll(5))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.roll(2))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.roll(-1))).toBe('INVALID_ARGUMENT')
        p.roll(9)
        expect(p.append(bytes(6, 2))).toBe(0)
        expect(p.segments()).toEqual([
          { baseOffset: 5, sizeBytes: 4 },
          { baseOffset: 9, sizeBytes: 6 },
        ])
        expect(hex(await readAll(p, 5))).toBe(hex(bytes(4, 1)))
        expect(hex(await readAll(p, 9))).toBe(hex(bytes(6, 2)))
      }))

    it('round-trips index entries', () =>
      withPartition(async (p) => {
        await threeSegments(p)
        const idx = await p.readIndexes(100)
        expect(idx.offsets).toEqual([
          { offset: 100, position: 0 },
          { offset: 110, position: 100 },
          { offset: 120, position: 200 },
        ])
        expect(idx.times).toEqual([
          { timestamp: 1100, offset: 100 },
          { timestamp: 1101, offset: 110 },
          { timestamp: 1102, offset: 120 },
        ])
      }))

    it('truncates: cuts the segment, deletes later ones and their index entries, at once', () =>
      withPartition(async (p) => {
        await threeSegments(p)
        const done = p.truncate(100, 150, 110)
        expect(p.segments()).toEqual([
          { baseOffset: 0, sizeBytes: 300 },
          { baseOffset: 100, sizeBytes: 150 },
        ])
        expect(p.append(bytes(5, 9))).toBe(150)
        await done
        expect(hex(await readAll(p, 100))).toBe(
          hex(Uint8Array.from([...bytes(100, 100), ...bytes(50, 101), ...bytes(5, 9)])),
        )
        expect(await p.readIndexes(100)).toEqual({
          offsets: [{ offset: 100, position: 0 }],
          times: [{ timestamp: 1100, offset: 100 }],
        })
        expect(await codeOf(() => p.read(200, 0, 1))).toBe('INVALID_ARGUMENT')
        p.roll(200)
        expect(p.segments().at(-1)).toEqual({ baseOffset: 200, sizeBytes: 0 })
      }))

    it('deletes whole segments and ignores unknown ones', () =>
      withPartition(async (p) => {
        await threeSegments(p)
        await p.deleteSegments([0, 100, 12345])
        expect(p.segments()).toEqual([{ baseOffset: 200, sizeBytes: 300 }])
        expect(await codeOf(() => p.read(0, 0, 1))).toBe('INVALID_ARGUMENT')
        expect(hex(await readAll(p, 200))).toBe(
          hex(Uint8Array.from([...bytes(100, 200), ...bytes(100, 201), ...bytes(100, 202)])),
        )
      }))

    it('replaces closed segments with one, never the active one', () =>
      withPartition(async (p) => {
        await threeSegments(p)
        const before = p.segments()
        const active = await codeOf(() =>
          p.replaceSegments([100, 200], 100, bytes(5), { offsets: [], times: [] }),
        )
        expect(active).toBe('INVALID_ARGUMENT')
        expect(p.segments()).toEqual(before)
        const indexes = {
          offsets: [{ offset: 5, position: 0 }],
          times: [{ timestamp: 7, offset: 5 }],
        }
        await p.replaceSegments([0, 100], 0, bytes(42, 3), indexes)
        expect(p.segments()).toEqual([
          { baseOffset: 0, sizeBytes: 42 },
          { baseOffset: 200, sizeBytes: 300 },
        ])
        expect(hex(await readAll(p, 0))).toBe(hex(bytes(42, 3)))
        expect(await p.readIndexes(0)).toEqual(indexes)
        expect(await codeOf(() => p.read(100, 0, 1))).toBe('INVALID_ARGUMENT')
      }))

    it('flushes, with and without fsync, also concurrently', () =>
      withPartition(async (p) => {
        p.roll(0)
        p.append(bytes(10))
        await p.flush({ fsync: false })
        p.append(bytes(10, 1))
        const flushes = [p.flush({ fsync: true }), p.flush({ fsync: false })]
        p.append(bytes(10, 2))
        flushes.push(p.flush({ fsync: true }))
        await Promise.all(flushes)
        expect(hex(await readAll(p, 0))).toBe(
          hex(Uint8Array.from([...bytes(10), ...bytes(10, 1), ...bytes(10, 2)])),
        )
      }))

    it('closes idempotently; calls after close fail with CLOSED', () =>
      withPartition(async (p) => {
        p.roll(0)
        await p.close()
        await p.close()
        expect(await codeOf(() => p.segments())).toBe('CLOSED')
        expect(await codeOf(() => p.append(bytes(1)))).toBe('CLOSED')
        expect(await codeOf(() => p.roll(10))).toBe('CLOSED')
        expect(await codeOf(() => p.read(0, 0, 1))).toBe('CLOSED')
        expect(await codeOf(() => p.flush({ fsync: false }))).toBe('CLOSED')
        expect(await codeOf(() => p.truncate(0, 0, 0))).toBe('CLOSED')
      }))

    it('keeps a partition across its close and reopen', () =>
      withPartition(async (p, store) => {
        await threeSegments(p)
        await p.close()
        const again = await store.openPartition(TP)
        expect(again.segments().map((s) => s.sizeBytes)).toEqual([300, 300, 300])
        expect(hex(await again.read(100, 100, 100))).toBe(hex(bytes(100, 101)))
      }))

    it('lists and deletes partitions; the store closes idempotently', async () => {
      const store = await factory()
      for (const tp of [
        TP,
        { topic: 'orders', partition: 1 },
        { topic: 'a.b_c-d', partition: 0 },
      ]) {
        const p = await store.openPartition(tp)
        p.roll(0)
        p.append(bytes(3))
      }
      const sorted = (tps: TopicPartition[]) => tps.map((t) => `${t.topic}/${t.partition}`).sort()
      expect(sorted(await store.listPartitions())).toEqual(['a.b_c-d/0', 'orders/0', 'orders/1'])
      await store.deletePartition({ topic: 'orders', partition: 1 })
      await store.deletePartition({ topic: 'never', partition: 3 })
      expect(sorted(await store.listPartitions())).toEqual(['a.b_c-d/0', 'orders/0'])
      expect((await store.openPartition({ topic: 'orders', partition: 1 })).segments()).toEqual([])
      await store.close()
      await store.close()
      expect(await codeOf(() => store.openPartition(TP))).toBe('CLOSED')
      expect(await codeOf(() => store.listPartitions())).toBe('CLOSED')
    })

    it('refuses bad input with coded errors and changes nothing', () =>
      withPartition(async (p) => {
        await threeSegments(p)
        const before = p.segments()
        expect(await codeOf(() => p.read(0, -1, 10))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.read(7, 0, 10))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.readIndexes(7))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.truncate(7, 0, 0))).toBe('INVALID_ARGUMENT')
        expect(await codeOf(() => p.appendOffsetIndex(7, { offset: 7, position: 0 }))).toBe(
          'INVALID_ARGUMENT',
        )
        expect(await codeOf(() => p.appendTimeIndex(7, { timestamp: 1, offset: 7 }))).toBe(
          'INVALID_ARGUMENT',
        )
        expect(p.segments()).toEqual(before)
        expect((await p.readIndexes(200)).offsets).toHaveLength(3)
      }))

    describe.runIf(supports.persistence && reopen !== undefined)('persistence', () => {
      it('reopens with every partition, segment, byte and index entry', async () => {
        const store = await factory()
        const p = await store.openPartition(TP)
        await threeSegments(p)
        await p.flush({ fsync: false })
        p.append(bytes(11, 5))
        const q = await store.openPartition({ topic: 'empty', partition: 2 })
        q.roll(0)
        await store.close()
        const again = await reopen!(store)
        try {
          const tps = (await again.listPartitions()).map((t) => `${t.topic}/${t.partition}`).sort()
          expect(tps).toEqual(['empty/2', 'orders/0'])
          const r = await again.openPartition(TP)
          expect(r.segments()).toEqual([
            { baseOffset: 0, sizeBytes: 300 },
            { baseOffset: 100, sizeBytes: 300 },
            { baseOffset: 200, sizeBytes: 311 },
          ])
          expect(hex(await r.read(200, 300, 11))).toBe(hex(bytes(11, 5)))
          expect(hex(await r.read(0, 50, 100))).toBe(hex((await readAll(r, 0)).slice(50, 150)))
          expect((await r.readIndexes(100)).times).toHaveLength(3)
          expect(r.append(bytes(1))).toBe(311)
          const e = await again.openPartition({ topic: 'empty', partition: 2 })
          expect(e.segments()).toEqual([{ baseOffset: 0, sizeBytes: 0 }])
        } finally {
          await again.close()
        }
      })

      it('reopens after truncate, delete and replace exactly as left', async () => {
        const store = await factory()
        const p = await store.openPartition(TP)
        await threeSegments(p)
        await p.flush({ fsync: true })
        void p.truncate(200, 120, 210)
        p.append(bytes(8, 8))
        void p.deleteSegments([0])
        await p.replaceSegments([100], 100, bytes(9, 9), { offsets: [], times: [] })
        const expected = p.segments()
        await store.close()
        const again = await reopen!(store)
        try {
          const r = await again.openPartition(TP)
          expect(r.segments()).toEqual(expected)
          expect(hex(await readAll(r, 100))).toBe(hex(bytes(9, 9)))
          expect(hex(await r.read(200, 120, 8))).toBe(hex(bytes(8, 8)))
          expect(await r.readIndexes(200)).toEqual({
            offsets: [{ offset: 200, position: 0 }],
            times: [{ timestamp: 1200, offset: 200 }],
          })
        } finally {
          await again.close()
        }
      })
    })
  })
}
