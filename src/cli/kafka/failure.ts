/**
 * Errors of the admin client as Kafka's tools print them: the broker's message alone (without
 * logkeeper's code, and without the topic prefix the admin client adds), after the tool's own
 * prefix (`Error while executing topic command : `).
 */
import { isLogkeeperError, type LogkeeperError } from '../../common/errors.js'
import { UserError } from '../errors.js'

/** The message of a coded error without a leading `<name>: ` the admin client put there. */
export function kafkaMessage(error: LogkeeperError, name?: string): string {
  const prefix = name === undefined ? '' : `${name}: `
  return prefix !== '' && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message
}

/**
 * Turn a coded error from the admin client into a {@link UserError} reading
 * `<prefix><message>`; anything else is thrown as it is.
 */
export function asUserError(error: unknown, prefix: string, name?: string): never {
  if (isLogkeeperError(error)) throw new UserError(prefix + kafkaMessage(error, name))
  throw error
}
