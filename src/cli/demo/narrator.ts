/** How the demo tells its story: numbered chapters, narration, and indented facts. */
import type { Output } from '../io.js'

/** The width narration is wrapped to. */
const WIDTH = 96
const FACT_INDENT = '   '

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line.trimEnd())
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines
}

/** Writes the tour's text. */
export class Narrator {
  readonly #out: Output

  /** Narrate on `out`. */
  constructor(out: Output) {
    this.#out = out
  }

  /** A chapter's heading, after an empty line. */
  chapter(n: number, title: string): void {
    this.#out.line()
    this.#out.line(`== ${n}. ${title}`)
  }

  /** A line of narration, wrapped to the width of a terminal. */
  line(text: string): void {
    for (const line of wrap(text, WIDTH)) this.#out.line(line)
  }

  /** A fact shown indented under the narration (what the cluster says), wrapped likewise. */
  fact(text: string): void {
    const lines = wrap(text, WIDTH - FACT_INDENT.length - 2)
    for (const [i, line] of lines.entries()) {
      this.#out.line(`${FACT_INDENT}${i === 0 ? '' : '  '}${line}`)
    }
  }
}

/** Partition numbers as a list: `[0, 2]`. */
export function partitionList(partitions: readonly number[]): string {
  return `[${partitions.join(', ')}]`
}

/** Milliseconds as seconds: `18.5 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
