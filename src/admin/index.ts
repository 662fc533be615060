/**
 * The admin client: topics, partitions, configs and the cluster.
 *
 * @packageDocumentation
 */
export { Admin } from './admin.js'
export type * from './types.js'
