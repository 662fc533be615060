/** How the demo tells its story: numbered chapters, narration, and indented facts. */
import type { Output } from '../io.js'

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

  /** A line of narration. */
  line(text: string): void {
    this.#out.line(text)
  }

  /** A fact shown indented under the narration (what the cluster says). */
  fact(text: string): void {
    this.#out.line(`   ${text}`)
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
