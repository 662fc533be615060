/** Temporary directories under os.tmpdir() for one test file, removed after it. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** A function that makes a fresh directory path (not yet created) under one temp root. */
export function tmpDirs(label: string): () => Promise<string> {
  let root: Promise<string> | undefined
  let n = 0
  afterAll(async () => {
    if (root) await rm(await root, { recursive: true, force: true })
  })
  return async () => {
    root ??= mkdtemp(join(tmpdir(), `logkeeper-${label}-`))
    return join(await root, `d${n++}`)
  }
}
