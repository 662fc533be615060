/**
 * zkCli.sh's error lines: the client-side path check (`PathUtils.validatePath`, with Java's
 * messages) and `CliWrapperException`'s text for each KeeperException.
 */
import { isLogkeeperError } from '../../common/errors.js'
import { pathProblem } from '../../coordination/paths.js'

/** An error whose message is printed as it is (one zkCli error line). */
export class ZkCliError extends Error {
  override readonly name = 'ZkCliError'
}

/** A malformed zk command: its usage line is printed. */
export class ZkUsageError extends Error {
  override readonly name = 'ZkUsageError'
}

/**
 * Check `path` as ZooKeeper's Java client does before sending a request (for a sequential
 * create the client checks `path + "1"`); throws a {@link ZkCliError} with Java's message.
 */
export function validatePath(path: string, sequential = false): void {
  const problem = pathProblem(sequential ? path + '1' : path)
  if (problem === undefined) return
  if (problem === 'path length must be > 0') throw new ZkCliError('Path length must be > 0')
  if (problem === 'path must start with /') throw new ZkCliError('Path must start with / character')
  if (problem === 'path must not end with /') {
    throw new ZkCliError('Path must not end with / character')
  }
  throw new ZkCliError(`Invalid path string "${path}" caused by ${problem}`)
}

/** KeeperException.Code names, as `KeeperErrorCode = <name>` prints them. */
const CODE_NAMES: Readonly<Record<string, string>> = {
  SYSTEM_ERROR: 'SystemError',
  RUNTIME_INCONSISTENCY: 'RuntimeInconsistency',
  DATA_INCONSISTENCY: 'DataInconsistency',
  CONNECTION_LOSS: 'ConnectionLoss',
  MARSHALLING_ERROR: 'MarshallingError',
  UNIMPLEMENTED: 'Unimplemented',
  OPERATION_TIMEOUT: 'OperationTimeout',
  BAD_ARGUMENTS: 'BadArguments',
  API_ERROR: 'APIError',
  NO_AUTH: 'NoAuth',
  SESSION_EXPIRED: 'Session expired',
  NO_WATCHER: 'No such watcher',
  QUOTA_EXCEEDED: 'Quota has exceeded',
}

/** The line zkCli prints for an error of an operation on `path`. */
export function zkErrorLine(error: unknown, path: string): string {
  if (error instanceof ZkCliError) return error.message
  if (!isLogkeeperError(error)) return error instanceof Error ? error.message : String(error)
  switch (error.code) {
    case 'NO_NODE':
      return `Node does not exist: ${path}`
    case 'BAD_VERSION':
      return `version No is not valid : ${path}`
    case 'NOT_EMPTY':
      return `Node not empty: ${path}`
    case 'NODE_EXISTS':
      return `Node already exists: ${path}`
    case 'NO_CHILDREN_FOR_EPHEMERALS':
      return `Ephemerals cannot have children: ${path}`
    case 'NO_AUTH':
      return `Insufficient permission : ${path}`
    case 'INVALID_ARGUMENT':
      return error.message
    default: {
      const name = CODE_NAMES[error.code] ?? error.code
      return `KeeperErrorCode = ${name} for ${path}`
    }
  }
}
