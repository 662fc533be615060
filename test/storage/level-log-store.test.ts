import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'
import { afterAll } from 'vitest'
import { LevelLogStore } from '../../src/storage/level-log-store.js'
import { logStoreContract } from './log-store-contract.js'
import { tmpDirs } from './tmp-dirs.js'

const newDir = tmpDirs('level')
const opened: ClassicLevel<string, string>[] = []
afterAll(async () => {
  for (const db of opened) await db.close()
})
const databases = new WeakMap<
  LevelLogStore,
  MemoryLevel<string, string> | ClassicLevel<string, string>
>()

logStoreContract('LevelLogStore over memory-level', {
  factory: async () => {
    const db = new MemoryLevel<string, string>()
    const store = await LevelLogStore.open(db, { chunkBytes: 64 })
    databases.set(store, db)
    return store
  },
  reopen: async (closed) => {
    const db = databases.get(closed as LevelLogStore)!
    const store = await LevelLogStore.open(db, { chunkBytes: 64 })
    databases.set(store, db)
    return store
  },
  supports: { persistence: true },
})

logStoreContract('LevelLogStore over a classic-level sublevel', {
  factory: async () => {
    const db = new ClassicLevel<string, string>(await newDir())
    opened.push(db)
    const store = await LevelLogStore.open(db.sublevel('logs'), { chunkBytes: 64 })
    databases.set(store, db)
    return store
  },
  reopen: async (closed) => {
    const old = databases.get(closed as LevelLogStore)!
    await old.close()
    const db = new ClassicLevel<string, string>((old as ClassicLevel<string, string>).location)
    opened.push(db)
    const store = await LevelLogStore.open(db.sublevel('logs'))
    databases.set(store, db)
    return store
  },
  supports: { persistence: true },
})
