/**
 * How the command line runs a cluster on a data directory: `createCluster({ dataDir })` on the
 * real clock, with the broker count and settings the directory recorded (see
 * `ClusterShape`), its errors turned into one-line {@link UserError}s. Commands that work on
 * a cluster (`topics`, `console-producer`, `console-consumer`, `consumer-groups`) implement
 * {@link ClusterCommand.runOn}; their `run` is {@link runOnDataDir}, and `shell` calls `runOn`
 * with the one cluster it holds.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Cluster, createCluster } from '../cluster.js'
import { isLogkeeperError } from '../common/errors.js'
import { type Command, type CommandContext, dataDirOf } from './command.js'
import { UserError } from './errors.js'

/** The longest timer Node keeps (about 24.8 days): the run's keep-alive. */
const KEEP_ALIVE_MS = 2 ** 31 - 1

/** A data directory with its cluster running. */
export interface OpenCluster {
  /** The directory, absolute. */
  readonly path: string
  /** The cluster (disk mode, real clock). */
  readonly cluster: Cluster
  /** Close the cluster (and with it the directory). Idempotent. */
  close(): Promise<void>
}

/** Options of {@link openClusterDir}. */
export interface OpenClusterOptions {
  /** Refuse a directory that does not exist yet (for commands that only read). Default false. */
  mustExist?: boolean
}

/** Open `dir` (creating it unless `mustExist`) and start its cluster. */
export async function openClusterDir(
  dir: string,
  options: OpenClusterOptions = {},
): Promise<OpenCluster> {
  const path = resolve(dir)
  if (options.mustExist === true && !existsSync(join(path, 'meta'))) {
    throw new UserError(`${dir} is not a logkeeper data directory (no ${join(dir, 'meta')})`)
  }
  try {
    const cluster = await createCluster({ dataDir: path })
    return { path, cluster, close: () => cluster.close() }
  } catch (error) {
    if (!isLogkeeperError(error, 'STORAGE_UNAVAILABLE')) throw error
    const held = /held by|already open/.test(error.message)
    throw new UserError(
      held
        ? `${error.message}; stop it, or run the command in its shell, to use this directory`
        : error.message,
    )
  }
}

/** A command that works on a running cluster, so `shell` can run it on the cluster it holds. */
export interface ClusterCommand extends Command {
  /** Run the command on `cluster` (the framework has parsed `ctx`'s options already). */
  runOn(cluster: Cluster, ctx: CommandContext): Promise<number | undefined>
}

/** Whether `command` can run on a cluster the caller holds. */
export function isClusterCommand(command: Command): command is ClusterCommand {
  return typeof (command as Partial<ClusterCommand>).runOn === 'function'
}

/**
 * The `run` of a {@link ClusterCommand}: open the `--data-dir` directory (it must exist when
 * `mustExist`), run `runOn` on its cluster, keeping the process alive meanwhile, and close it
 * whatever happens.
 */
export async function runOnDataDir(
  command: Pick<ClusterCommand, 'runOn'>,
  ctx: CommandContext,
  options: OpenClusterOptions = {},
): Promise<number | undefined> {
  const open = await openClusterDir(dataDirOf(ctx.values), options)
  // The cluster's timers do not hold the process (they are unref'd): while the command waits
  // only on them (a held fetch, a poll's timeout, a group's join), this one does.
  const clock = open.cluster.clock
  const keepAlive = clock.setTimeout(() => undefined, KEEP_ALIVE_MS, { ref: true })
  try {
    return await command.runOn(open.cluster, ctx)
  } finally {
    clock.clearTimeout(keepAlive)
    await open.close()
  }
}
