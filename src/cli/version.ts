/** The package version the command line reports, read from package.json at build time. */
import pkg from '../../package.json' with { type: 'json' }

/** The version of logkeeper. */
export const VERSION: string = pkg.version
