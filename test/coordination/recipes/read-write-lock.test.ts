/** The read half of the read-write lock, and how the halves interact. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ReadWriteLock } from '../../../src/coordination/recipes/index.js'
import { codeOf, createWorld, isSettled, settle, type World } from './harness.js'
import { SpyClient } from './spy-client.js'

describe('ReadWriteLock', () => {
  let w: World
  const rw = (client = w.connect()) => new ReadWriteLock(client, '/locks/rw', { clock: w.clock })

  beforeEach(async () => {
    w = await createWorld()
  })
  afterEach(async () => {
    await w.close()
  })

  it('lets many readers in together', async () => {
    const handles = await Promise.all([1, 2, 3].map(() => rw().readLock.acquire({ timeoutMs: 0 })))
    expect(handles.every((h) => h.held)).toBe(true)
  })

  it('keeps readers out while a writer holds it, then lets them all in', async () => {
    const writer = await rw().writeLock.acquire()
    const readers = [1, 2, 3].map(() => rw().readLock.acquire())
    expect(await isSettled(Promise.race(readers))).toBe(false)
    await writer.release()
    const held = await Promise.all(readers)
    expect(held.every((h) => h.held)).toBe(true)
  })

  it('a waiting writer blocks later readers (fair), and readers watch the writer only', async () => {
    const first = await rw().readLock.acquire()
    const writer = rw().writeLock.acquire()
    await settle()
    const spy = new SpyClient(w.connect())
    const late = rw(spy).readLock.acquire()
    expect(await isSettled(late)).toBe(false)
    expect(spy.watches.map((x) => x.path.includes('__WRIT__'))).toEqual([true])
    await first.release()
    const wh = await writer
    expect(await isSettled(late)).toBe(false)
    await wh.release()
    expect((await late).held).toBe(true)
  })

  it('a writer waits for the readers before it', async () => {
    const reader = await rw().readLock.acquire()
    expect(await codeOf(rw().writeLock.acquire({ timeoutMs: 0 }))).toBe('TIMEOUT')
    const writer = rw().writeLock.acquire({ timeoutMs: 5000 })
    await w.clock.advance(100)
    await reader.release()
    expect((await writer).held).toBe(true)
  })
})
