/**
 * When a console command stops before its natural end: Ctrl-C or SIGTERM (through
 * `io.onInterrupt`, so the command can flush, commit and report first), or, for
 * `console-consumer`, the end of its input. The first reason wins.
 */
import type { Readable } from 'node:stream'
import type { CliIo, InterruptSignal } from '../io.js'

/** Why a command was asked to stop. */
export type StopReason = InterruptSignal | 'input-ended'

/** The exit status of a command that stopped cleanly on `signal` (128 + its number, as a shell reports it). */
export function interruptedStatus(signal: InterruptSignal): number {
  return signal === 'SIGINT' ? 130 : 143
}

/** A request to stop, made once; later requests are ignored. */
export class StopRequest {
  #reason: StopReason | undefined
  #resolve: (reason: StopReason) => void = () => undefined
  /** Resolves with the reason when the stop is requested. */
  readonly requested: Promise<StopReason> = new Promise((resolve) => {
    this.#resolve = resolve
  })

  /** The reason, once requested. */
  get reason(): StopReason | undefined {
    return this.#reason
  }

  /** Ask to stop (the first reason is kept). */
  request(reason: StopReason): void {
    if (this.#reason !== undefined) return
    this.#reason = reason
    this.#resolve(reason)
  }
}

/** Turn Ctrl-C / SIGTERM into `stop` while the command runs; returns the function that stops watching. */
export function stopOnInterrupt(io: CliIo, stop: StopRequest): () => void {
  return io.onInterrupt?.((signal) => stop.request(signal)) ?? (() => undefined)
}

/**
 * Turn the end of `input` into `stop`. The input is read and its data dropped (the consumer
 * takes no input; only its end counts); returns the function that stops watching and pauses
 * the input again, so a caller that shares it can go on reading.
 */
export function stopOnInputEnd(input: Readable, stop: StopRequest): () => void {
  const ended = () => stop.request('input-ended')
  if (input.readableEnded || input.destroyed) {
    ended()
    return () => undefined
  }
  const drop = () => undefined
  input.on('data', drop).on('end', ended).on('close', ended).on('error', ended)
  input.resume()
  return () => {
    input.off('data', drop).off('end', ended).off('close', ended).off('error', ended)
    input.pause()
  }
}
