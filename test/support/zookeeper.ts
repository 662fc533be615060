/**
 * A real Apache ZooKeeper (Debian's `zookeeper` package, 3.8) for differential and contract
 * tests: one throw-away standalone server per test file, on a free port of 127.0.0.1, in a
 * directory of its own, started by `zk-start.sh` and stopped by PID by `zk-stop.sh`.
 *
 * Rule: where ZooKeeper is not installed, its tests are skipped locally but FAIL when
 * `process.env.CI === 'true'` (see {@link describeWithZooKeeper}).
 */
import { execFile } from 'node:child_process'
import { accessSync, constants, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, it } from 'vitest'

const run = promisify(execFile)

const START_SCRIPT = fileURLToPath(new URL('./zk-start.sh', import.meta.url))
const STOP_SCRIPT = fileURLToPath(new URL('./zk-stop.sh', import.meta.url))

/** Where Debian's package puts the server script (override with `ZK_SERVER`). */
export const ZK_SERVER_SCRIPT = process.env.ZK_SERVER ?? '/usr/share/zookeeper/bin/zkServer.sh'

/** A running throw-away ZooKeeper server. */
export interface ZooKeeperServer {
  /** Its client port on 127.0.0.1. */
  readonly port: number
  /** The JVM's PID. */
  readonly pid: number
  /** Its own directory (zoo.cfg, data/, server.out); removed by `stop()`. */
  readonly dir: string
  /** `127.0.0.1:<port>`, for a client library. */
  readonly connectString: string
  /** Stop the JVM by its PID and remove its directory. Idempotent. */
  stop(): Promise<void>
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((dir) => dir !== '' && executable(join(dir, command)))
}

/**
 * Whether a real ZooKeeper can be started here: Debian's `zkServer.sh` is installed and `java`
 * is on the PATH. Cheap (two file checks), so it can decide `describe` vs `describe.skip`.
 */
export function zookeeperAvailable(): boolean {
  return executable(ZK_SERVER_SCRIPT) && onPath('java')
}

/** A port that was free on 127.0.0.1 a moment ago (the start script fails if it is taken). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Servers this process started and has not stopped yet: killed on exit as a last resort. */
const running = new Map<number, string>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const [pid, dir] of running) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

/** Options of {@link startZooKeeper}. */
export interface StartOptions {
  /**
   * JVM flags of the server, replacing zk-start.sh's default. E.g. add
   * `-Dznode.container.checkIntervalMs=100` to have containers and TTL nodes reaped quickly.
   */
  jvmFlags?: string
}

/** Exit codes of zk-start.sh that mean "the port was taken": worth a retry on another port. */
const PORT_TAKEN = new Set([4, 5])

/**
 * Start a throw-away standalone ZooKeeper on a free port of 127.0.0.1 with a fresh temporary
 * directory (forceSync=no: test only), and wait until it serves requests. Retries on another
 * port when the chosen one was taken meanwhile. Call `stop()` when done (in `afterAll`).
 */
export async function startZooKeeper(options: StartOptions = {}): Promise<ZooKeeperServer> {
  if (!zookeeperAvailable()) {
    throw new Error(
      `ZooKeeper is not installed (${ZK_SERVER_SCRIPT}, java): apt-get install -y zookeeper`,
    )
  }
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    try {
      const { stdout } = await run(START_SCRIPT, [String(port)], {
        env: {
          ...process.env,
          ZK_SERVER: ZK_SERVER_SCRIPT,
          ...(options.jvmFlags === undefined ? {} : { SERVER_JVMFLAGS: options.jvmFlags }),
        },
      })
      const [pidText, dir] = stdout.trim().split(' ')
      const pid = Number(pidText)
      if (!Number.isSafeInteger(pid) || pid <= 0 || dir === undefined) {
        throw new Error(`zk-start.sh printed ${JSON.stringify(stdout)}`)
      }
      installExitHook()
      running.set(pid, dir)
      let stopped: Promise<void> | undefined
      return {
        port,
        pid,
        dir,
        connectString: `127.0.0.1:${port}`,
        stop() {
          stopped ??= run(STOP_SCRIPT, [String(pid), dir]).then(() => {
            running.delete(pid)
          })
          return stopped
        },
      }
    } catch (error) {
      lastError = error
      const code = (error as { code?: unknown }).code
      if (typeof code !== 'number' || !PORT_TAKEN.has(code)) break
    }
  }
  const stderr = (lastError as { stderr?: unknown }).stderr
  throw new Error(
    `could not start ZooKeeper: ${typeof stderr === 'string' ? stderr : String(lastError)}`,
    {
      cause: lastError,
    },
  )
}

/**
 * `describe` with one real ZooKeeper server for the whole block: started in `beforeAll`,
 * stopped in `afterAll` (which vitest runs also when tests or the start itself fail). `fn`
 * gets a getter for the server, valid inside tests and hooks.
 *
 * Without ZooKeeper installed the block is skipped, unless `CI=true`: then it contains one
 * failing test that says what is missing.
 */
export function describeWithZooKeeper(
  name: string,
  fn: (server: () => ZooKeeperServer) => void,
): void {
  if (!zookeeperAvailable()) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs a real ZooKeeper (CI=true: missing ZooKeeper fails instead of skipping)', () => {
          throw new Error(
            `ZooKeeper is not installed (${ZK_SERVER_SCRIPT} and java): apt-get install -y zookeeper`,
          )
        })
      })
    } else {
      describe.skip(`${name} (ZooKeeper not installed)`, () => fn(() => notStarted()))
    }
    return
  }
  describe(name, () => {
    let server: ZooKeeperServer | undefined
    beforeAll(async () => {
      server = await startZooKeeper()
    })
    afterAll(async () => {
      await server?.stop()
    })
    fn(() => server ?? notStarted())
  })
}

function notStarted(): never {
  throw new Error('the ZooKeeper server is not running (beforeAll failed or the block is skipped)')
}
