/**
 * How the command line fails: a {@link UsageError} (exit status 2, the command's usage
 * printed) when the command line itself is wrong, a {@link UserError} (exit status 1, one line)
 * when the request is well formed but cannot be done. Any other error is reported as one line
 * too, its code and message, never as a stack trace.
 */
import { isLogkeeperError } from '../common/errors.js'

/** Exit statuses of the command line. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The request could not be done (missing node, held directory, corrupt file, ...). */
  USER_ERROR: 1,
  /** The command line is malformed: unknown command or option, missing argument. */
  USAGE: 2,
} as const

/** The command line is malformed. `usage` is printed after the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  /** The usage text to print (the command's, or the top level's). */
  readonly usage: string | undefined

  /** A usage error with its one-line `message` and the `usage` to print after it. */
  constructor(message: string, usage?: string) {
    super(message)
    this.usage = usage
  }
}

/** The request cannot be done; `message` is the one line printed. */
export class UserError extends Error {
  override readonly name = 'UserError'
  /** The exit status (default 1). */
  readonly exitCode: number

  /** A user error printed as `message`, exiting with `exitCode`. */
  constructor(message: string, exitCode: number = EXIT.USER_ERROR) {
    super(message)
    this.exitCode = exitCode
  }
}

/** One line describing any error: the message, with its code for logkeeper's coded errors. */
export function oneLine(error: unknown): string {
  if (error instanceof UserError || error instanceof UsageError) return error.message
  if (isLogkeeperError(error)) {
    const message = firstLine(error.message)
    return message === '' || message === error.code ? error.code : `${error.code}: ${message}`
  }
  if (error instanceof Error) return firstLine(error.message) || error.name
  return String(error)
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n')
  return nl < 0 ? text : text.slice(0, nl)
}
