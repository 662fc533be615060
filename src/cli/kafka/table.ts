/**
 * Kafka's tables: columns left-aligned as `printf("%-Ns %-Ms ... %s")` prints them, one space
 * between columns, the last column unpadded; a column is as wide as its widest cell or its
 * minimum (Kafka's `kafka-consumer-groups` uses 15 for names, 10 for partitions).
 */

/** One column: its minimum width, or `fixed` for a width that never grows (Kafka's `%-10s`). */
export interface Column {
  /** The header. */
  readonly header: string
  /** The minimum width (cells wider than this widen the column unless `fixed`). */
  readonly width: number
  /** Whether the width is a fixed format width (wider cells are printed whole, unaligned). */
  readonly fixed?: boolean
}

/** The width of each column for `rows`. */
function widths(columns: readonly Column[], rows: readonly (readonly string[])[]): number[] {
  return columns.map((c, i) =>
    c.fixed === true ? c.width : Math.max(c.width, ...rows.map((r) => (r[i] ?? '').length)),
  )
}

/** One line of cells padded to `width`s, the last cell as it is. */
function line(cells: readonly string[], width: readonly number[]): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(width[i] ?? 0)))
    .join(' ')
}

/** The header line and one line per row, aligned (no trailing newline on each). */
export function tableLines(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string[] {
  const width = widths(columns, rows)
  return [
    line(
      columns.map((c) => c.header),
      width,
    ),
    ...rows.map((r) => line(r, width)),
  ]
}

/** A name column: at least 15 wide, as Kafka's tools make it. */
export function nameColumn(header: string): Column {
  return { header, width: 15 }
}

/** A fixed `%-Ns` column of Kafka's format. */
export function fixedColumn(header: string, width: number): Column {
  return { header, width, fixed: true }
}
