import { FileLogStore } from '../../src/storage/file-log-store.js'
import { logStoreContract } from './log-store-contract.js'
import { tmpDirs } from './tmp-dirs.js'

const newDir = tmpDirs('files')

logStoreContract('FileLogStore', {
  factory: async () => FileLogStore.open(await newDir(), { readCacheBlockBytes: 64 }),
  reopen: async (closed) => FileLogStore.open((closed as FileLogStore).dir),
  supports: { persistence: true },
})
