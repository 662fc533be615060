/**
 * What the clients share: the cluster client (metadata, sending to brokers) and retries.
 *
 * @packageDocumentation
 */
export { ClusterClient, type ClusterClientOptions, type MetadataOptions } from './cluster-client.js'
export { MetadataSnapshot } from './metadata.js'
export { isRetriable, type RetryOptions, withRetries } from './retry.js'
