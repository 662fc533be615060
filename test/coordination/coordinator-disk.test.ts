/**
 * The coordinator contract against disk mode: a memory-level database, and classic-level in a
 * temporary directory (group commit and reopen are covered in persistence.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'
import { VirtualClock } from '../../src/common/clock.js'
import { createCoordinator, type InProcessClient } from '../../src/coordination/index.js'
import { coordinatorContract } from './coordinator-contract.js'

const supports = { clock: true, ttl: true, stats: true, frameLimit: true, watcherErrors: true }

coordinatorContract(
  'disk (memory-level)',
  async () => {
    const clock = new VirtualClock()
    const db = new MemoryLevel<string, string>()
    const coordinator = await createCoordinator({ clock, db: db.sublevel('zk') })
    return {
      coordinator,
      advance: (ms) => clock.advance(ms),
      pauseHeartbeats: (client) => (client as InProcessClient).pauseHeartbeats(),
      close: async () => {
        await coordinator.close()
        await db.close()
      },
    }
  },
  supports,
)

coordinatorContract(
  'disk (classic-level)',
  async () => {
    const clock = new VirtualClock()
    const dir = mkdtempSync(join(tmpdir(), 'logkeeper-zk-'))
    const db = new ClassicLevel(dir)
    const coordinator = await createCoordinator({ clock, db: db.sublevel('zk'), syncWrites: false })
    return {
      coordinator,
      advance: (ms) => clock.advance(ms),
      pauseHeartbeats: (client) => (client as InProcessClient).pauseHeartbeats(),
      close: async () => {
        await coordinator.close()
        await db.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
  supports,
)
