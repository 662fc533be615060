import { defineConfig, type Options } from 'tsup'

/** The command line (`bin`): one ESM file with a shebang; the library's own build is unchanged. */
export const cliBuild: Options = {
  entry: { cli: 'src/cli/main.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: false,
  target: 'node20',
  splitting: false,
  banner: { js: '#!/usr/bin/env node' },
}

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Keep the CLI's files: both builds run at once into dist/.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    splitting: false,
  },
  cliBuild,
])
