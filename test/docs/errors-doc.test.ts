/**
 * docs/errors.md must list every code of ERROR_CODES, with the family, numeric code and
 * retriable flag of the table in src/common/errors.ts, and no code that is not there.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, type ErrorSpec } from '../../src/common/errors.js'

const DOC = fileURLToPath(new URL('../../docs/errors.md', import.meta.url))

interface DocRow {
  readonly family: string
  readonly kafka: string
  readonly zookeeper: string
  readonly retriable: string
  readonly when: string
}

/** The rows of the markdown table whose first cell is a code in backticks. */
function parseTable(markdown: string): Map<string, DocRow> {
  const rows = new Map<string, DocRow>()
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z0-9_]+)`\s*\|(.*)\|\s*$/.exec(line)
    if (match === null) continue
    const [family = '', kafka = '', zookeeper = '', retriable = '', ...rest] = match[2]!
      .split('|')
      .map((cell) => cell.trim())
    const code = match[1]!
    if (rows.has(code)) throw new Error(`docs/errors.md lists ${code} twice`)
    rows.set(code, { family, kafka, zookeeper, retriable, when: rest.join('|').trim() })
  }
  return rows
}

describe('docs/errors.md', () => {
  const rows = parseTable(readFileSync(DOC, 'utf8'))
  const specs = Object.entries(ERROR_CODES) as [string, ErrorSpec][]

  it('lists every code of ERROR_CODES', () => {
    const missing = specs.map(([code]) => code).filter((code) => !rows.has(code))
    expect(missing).toEqual([])
  })

  it('lists no code that ERROR_CODES lacks', () => {
    const extra = [...rows.keys()].filter((code) => !Object.hasOwn(ERROR_CODES, code))
    expect(extra).toEqual([])
  })

  it('gives each code its family, numeric code, retriable flag and a description', () => {
    for (const [code, spec] of specs) {
      const row = rows.get(code)
      if (row === undefined) continue
      const numeric = spec.numeric === undefined ? '' : String(spec.numeric)
      expect({ code, ...row, when: row.when !== '' }).toEqual({
        code,
        family: spec.family,
        kafka: spec.family === 'kafka' ? numeric : '',
        zookeeper: spec.family === 'zookeeper' ? numeric : '',
        retriable: spec.retriable ? 'yes' : 'no',
        when: true,
      })
    }
  })
})
