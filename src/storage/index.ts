export type * from './log-store.js'
