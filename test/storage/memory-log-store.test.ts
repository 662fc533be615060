import { MemoryLogStore } from '../../src/storage/memory-log-store.js'
import { logStoreContract } from './log-store-contract.js'

logStoreContract('MemoryLogStore', {
  factory: async () => new MemoryLogStore(),
  supports: { persistence: false },
})
