/**
 * Lines of a command's input, as Java's `BufferedReader.readLine` splits them (at `\n`, `\r\n`
 * or a lone `\r`; a last line without an end counts), handed over a chunk at a time so the
 * lines that arrive together can go out in one batch. The input is read without being
 * destroyed when the reader stops early, so the shell can go on with its own stdin.
 */

import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'

/** Split `text` into complete lines and the unfinished tail (a `\r` at the end waits for `\n`). */
export function splitLines(text: string): { lines: string[]; rest: string } {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 10 && c !== 13) continue
    if (c === 13 && i + 1 === text.length) break
    lines.push(text.slice(start, i))
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++
    start = i + 1
  }
  return { lines, rest: text.slice(start) }
}

/** The lines of `input`, in groups: those that arrived together. Ends where the input ends. */
export async function* inputLines(input: Readable): AsyncGenerator<string[], void, undefined> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  for await (const chunk of input.iterator({ destroyOnReturn: false })) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)
    const { lines, rest } = splitLines(pending + text)
    pending = rest
    if (lines.length > 0) yield lines
  }
  pending += decoder.end()
  if (pending.endsWith('\r')) yield [pending.slice(0, -1)]
  else if (pending.length > 0) yield [pending]
}
