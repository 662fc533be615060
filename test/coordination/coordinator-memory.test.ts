/**
 * The coordinator contract against memory mode, with a virtual clock.
 */
import { VirtualClock } from '../../src/common/clock.js'
import { createCoordinator, type InProcessClient } from '../../src/coordination/index.js'
import { coordinatorContract } from './coordinator-contract.js'

coordinatorContract(
  'memory',
  async () => {
    const clock = new VirtualClock()
    const coordinator = await createCoordinator({ clock })
    return {
      coordinator,
      advance: (ms) => clock.advance(ms),
      pauseHeartbeats: (client) => (client as InProcessClient).pauseHeartbeats(),
      close: () => coordinator.close(),
    }
  },
  { clock: true, ttl: true, stats: true, frameLimit: true, watcherErrors: true },
)
