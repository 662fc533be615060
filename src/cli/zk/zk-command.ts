/** The shape of one zk shell command (`ls`, `create`, ...), as the command tables list them. */
import type { ZkSession } from './session.js'
import type { ZkArgs, ZkOptionSpec } from './tokens.js'

/** One zk shell command. */
export interface ZkCommand {
  /** The word that names it. */
  readonly name: string
  /** zkCli's usage line, printed for a malformed call and by `help`. */
  readonly usage: string
  /** Its short options: letter → takes a value. */
  readonly options: ZkOptionSpec
  /** Whether it needs a connected session (zkCli says `Not connected` otherwise). */
  readonly needsSession: boolean
  /**
   * Run it. Throw `ZkCliError` (or a coded error, mapped to zkCli's line) to fail,
   * `ZkUsageError` for a malformed call. Resolves `'quit'` to end the shell.
   */
  run(session: ZkSession, args: ZkArgs): Promise<'quit' | undefined>
}

/** The connected client of a session (commands with `needsSession` run only when there is one). */
export function clientOf(session: ZkSession) {
  const client = session.client
  if (client === undefined) throw new Error('not connected')
  return client
}
