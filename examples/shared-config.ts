/**
 * Shared configuration in a znode, on the in-process coordinator under a virtual clock: "put
 * the JDBC settings in a znode and let every app watch it".
 *
 * 1. An admin writes the settings as JSON into `/config/app`.
 * 2. Three app instances, each on its own session, keep a `NodeCache` of the node and print
 *    every change they see.
 * 3. The admin updates the settings twice, each time with the version it read (a
 *    compare-and-set). The first time an operator's console changed the node in between: the
 *    write fails with BAD_VERSION, and the admin reads again, applies its change on top and
 *    writes again.
 * 4. The admin deletes the node; every app sees it go.
 *
 * Run it: `npx tsx examples/shared-config.ts`.
 */
import {
  type CachedNode,
  type CoordinatorClient,
  createCoordinator,
  isLogkeeperError,
  NodeCache,
  VirtualClock,
} from 'logkeeper'

interface JdbcSettings {
  url: string
  user: string
  poolSize: number
}

const PATH = '/config/app'
const clock = new VirtualClock()
const coordinator = await createCoordinator({ clock })
const start = clock.now()
const say = (line: string) => console.log(`[+${clock.now() - start} ms] ${line}`)
const show = (node: CachedNode) => {
  const jdbc = JSON.parse(String(node.data)) as JdbcSettings
  return `version ${node.stat.version}: ${jdbc.url} as ${jdbc.user}, pool ${jdbc.poolSize}`
}
/** Let watches fire and the caches re-read, one virtual second later. */
const settle = () => clock.advance(1_000)

// 1. The admin writes the settings.
const admin = coordinator.connect()
await admin.create('/config', '')
const initial: JdbcSettings = {
  url: 'jdbc:postgresql://db1:5432/orders',
  user: 'app',
  poolSize: 10,
}
await admin.create(PATH, JSON.stringify(initial))
say(`admin wrote ${PATH}`)

// 2. Three apps watch it.
const apps = ['app-1', 'app-2', 'app-3'].map((name) => {
  const cache = new NodeCache(() => coordinator.connect(), PATH)
  cache.on('initialized', () => say(`${name} starts with ${show(cache.current!)}`))
  cache.on('created', ({ node }) => say(`${name} sees new settings, ${show(node)}`))
  cache.on('changed', ({ node, previous }) =>
    say(`${name} sees a change from version ${previous.stat.version} to ${show(node)}`),
  )
  cache.on('deleted', ({ previous }) =>
    say(`${name} sees the settings deleted (last was version ${previous.stat.version})`),
  )
  return { name, cache }
})
for (const { cache } of apps) await cache.start()

/**
 * Change the settings with a compare-and-set: read, change, write with the version read; on
 * BAD_VERSION someone wrote in between, so read again and apply the change to the new data.
 * `beforeWrite` runs between the first read and its write (to show the conflict).
 */
async function update(
  client: CoordinatorClient,
  change: (settings: JdbcSettings) => JdbcSettings,
  beforeWrite?: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { data, stat } = await client.getData(PATH)
    const next = change(JSON.parse(String(data)) as JdbcSettings)
    if (attempt === 1) await beforeWrite?.()
    try {
      const written = await client.setData(PATH, JSON.stringify(next), { version: stat.version })
      say(`admin wrote version ${written.version} (attempt ${attempt}, expected ${stat.version})`)
      return
    } catch (error) {
      if (!isLogkeeperError(error, 'BAD_VERSION')) throw error
      say(`admin's write expecting version ${stat.version} failed: ${error.code}; reading again`)
    }
  }
}

// 3. Two updates; an operator's console writes in the middle of the first.
await settle()
const console_ = coordinator.connect()
await update(
  admin,
  (s) => ({ ...s, url: 'jdbc:postgresql://db2:5432/orders' }),
  async () => {
    const stat = await console_.setData(PATH, JSON.stringify({ ...initial, poolSize: 20 }))
    say(`operator console raised the pool to 20 (version ${stat.version})`)
    await settle()
  },
)
await settle()
await update(admin, (s) => ({ ...s, user: 'app_rw' }))
await settle()

// 4. The settings go.
const { stat } = await admin.getData(PATH)
await admin.delete(PATH, { version: stat.version })
say(`admin deleted ${PATH} (version ${stat.version})`)
await settle()

for (const { name, cache } of apps) {
  say(`${name}'s copy: ${cache.current === undefined ? '(none)' : show(cache.current)}`)
  await cache.close()
}
await console_.close()
await admin.close()
await coordinator.close()
