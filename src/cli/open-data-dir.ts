/**
 * Where the command line finds the coordinator in a data directory: the ONE place that knows.
 * It opens `<dir>/meta` and runs only the coordinator, on the `coordinator` sublevel where
 * `createCluster({ dataDir })` keeps it, without starting brokers: `zk` then shows and changes
 * the znodes as the directory holds them (no controller election rewrites `/controller` on the
 * way), and `txn-log` / `snapshot` only read. Commands that need brokers open the whole
 * cluster with `openClusterDir` (open-cluster.ts); `shell` gives `zk` the coordinator of the
 * cluster it runs.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isLogkeeperError } from '../common/errors.js'
import { createCoordinator } from '../coordination/create-coordinator.js'
import {
  LevelSnapshotStore,
  type SnapshotStore,
} from '../coordination/persistence/snapshot-store.js'
import { LevelTxnLog, type TxnLog } from '../coordination/persistence/txn-log.js'
import type { Coordinator } from '../coordination/types.js'
import { type DataDir, openDataDir } from '../storage/data-dir.js'
import { LOCK_FILE } from '../storage/dir-lock.js'
import { UserError } from './errors.js'

/** The sublevel of `<dir>/meta` that holds the coordinator's txn log and snapshots. */
export const COORDINATOR_SUBLEVEL = 'coordinator'

/** A data directory opened by the command line, with its coordinator running. */
export interface OpenCoordinator {
  /** The directory, absolute. */
  readonly path: string
  /** The coordinator (disk mode). Connect clients to it. */
  readonly coordinator: Coordinator
  /** Close the coordinator, then the directory. Idempotent. */
  close(): Promise<void>
}

/** A data directory opened only to read the coordinator's persisted state. */
export interface CoordinatorFiles {
  /** The directory, absolute. */
  readonly path: string
  /** The txn log. */
  readonly txnLog: TxnLog
  /** The snapshots. */
  readonly snapshots: SnapshotStore
  /** Close the directory. Idempotent. */
  close(): Promise<void>
}

/** Options of the openers. */
export interface OpenOptions {
  /** Refuse a directory that does not exist yet (for read-only tools). Default false. */
  mustExist?: boolean
}

/** Open `dir` (creating it unless `mustExist`) and start its coordinator. */
export async function openCoordinatorDir(
  dir: string,
  options: OpenOptions = {},
): Promise<OpenCoordinator> {
  const dataDir = await open(dir, options)
  try {
    const coordinator = await createCoordinator({ db: dataDir.sublevel(COORDINATOR_SUBLEVEL) })
    let closing: Promise<void> | undefined
    return {
      path: dataDir.path,
      coordinator,
      close: () => {
        closing ??= coordinator.close().finally(() => dataDir.close())
        return closing
      },
    }
  } catch (error) {
    await dataDir.close()
    throw error
  }
}

/** Open `dir` to read its coordinator's txn log and snapshots, without running a coordinator. */
export async function openCoordinatorFiles(
  dir: string,
  options: OpenOptions = {},
): Promise<CoordinatorFiles> {
  const dataDir = await open(dir, options)
  const db = dataDir.sublevel(COORDINATOR_SUBLEVEL)
  return {
    path: dataDir.path,
    txnLog: new LevelTxnLog(db, false),
    snapshots: new LevelSnapshotStore(db),
    close: () => dataDir.close(),
  }
}

async function open(dir: string, options: OpenOptions): Promise<DataDir> {
  const path = resolve(dir)
  if (options.mustExist === true && !existsSync(join(path, 'meta'))) {
    throw new UserError(`${dir} is not a logkeeper data directory (no ${join(dir, 'meta')})`)
  }
  try {
    return await openDataDir(path)
  } catch (error) {
    if (!isLogkeeperError(error, 'STORAGE_UNAVAILABLE')) throw error
    throw new UserError(await unavailableMessage(dir, path, error.message))
  }
}

/**
 * One line saying why the directory cannot be opened; when another process holds it, which
 * one (the PID in the log directory's `.lock` file, as Kafka's tools show it).
 */
async function unavailableMessage(dir: string, path: string, message: string): Promise<string> {
  if (!/held by|already open/.test(message)) return message
  const lockFile = join(path, 'logs', LOCK_FILE)
  const pid = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10)
  const who = Number.isSafeInteger(pid) && pid > 0 ? `process ${pid}` : 'another process'
  return (
    `${dir} is held by ${who} (see ${lockFile}); ` +
    'stop it, or run the command in its shell, to use this directory'
  )
}
