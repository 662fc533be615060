/** Run one coordinator call on `path`, turning its coded error into zkCli's error line. */
import { ZkCliError, zkErrorLine } from './problems.js'

/** Await `call`; a failure becomes a `ZkCliError` with zkCli's line for `path`. */
export async function atPath<T>(path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw new ZkCliError(zkErrorLine(error, path))
  }
}
