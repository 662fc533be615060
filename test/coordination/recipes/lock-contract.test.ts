/** Runs the lock contract against every exclusive lock type. */
import { Lock, ReadWriteLock, Semaphore } from '../../../src/coordination/recipes/index.js'
import { lockContract } from './lock-contract.js'

lockContract('Lock', (client, path, options) => new Lock(client, path, options))
lockContract('ReadWriteLock.writeLock', (client, path, options) => {
  return new ReadWriteLock(client, path, options).writeLock
})
lockContract('Semaphore(1)', (client, path, options) => new Semaphore(client, path, 1, options), {
  wakesPerRelease: 2,
})
