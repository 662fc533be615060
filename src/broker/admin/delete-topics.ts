/**
 * DeleteTopics on the controller: mark each topic under `/admin/delete_topics` and wait up to
 * `timeoutMs` for it to leave this broker's metadata cache. With `delete.topic.enable=false`
 * the mark is written and the answer is `TOPIC_DELETION_DISABLED`; the topic stays.
 */
import type { DeleteTopicsRequest, DeleteTopicsResponse, ResponseError } from '../api.js'
import {
  type AdminContext,
  duplicates,
  settle,
  TIMED_OUT,
  toResponseError,
} from './admin-context.js'

/** Serve DeleteTopics (the broker is the controller). */
export async function deleteTopics(
  ctx: AdminContext,
  request: DeleteTopicsRequest,
): Promise<DeleteTopicsResponse> {
  const dup = duplicates(request.topics)
  const existing = new Set(await ctx.zk.topics())
  const results: ({ name: string } & ResponseError)[] = []
  const marked: string[] = []
  for (const name of request.topics) {
    if (dup.has(name)) {
      results.push({ name, error: 'INVALID_REQUEST', errorMessage: 'Duplicate topic in request.' })
    } else if (!existing.has(name)) {
      results.push({
        name,
        error: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: 'This server does not host this topic-partition.',
      })
    } else {
      try {
        await ctx.zk.markForDeletion(name)
        if (!ctx.config['delete.topic.enable']) {
          results.push({
            name,
            error: 'TOPIC_DELETION_DISABLED',
            errorMessage: 'Topic deletion is disabled.',
          })
        } else {
          marked.push(name)
          results.push({ name })
        }
      } catch (err) {
        results.push({ name, ...toResponseError(err) })
      }
    }
  }
  if (marked.length === 0 || request.timeoutMs <= 0) return { responses: results }
  const gone = (t: string) => !ctx.cache.hasTopic(t)
  const started = ctx.clock.now()
  const ok = await ctx.cache.waitFor(() => marked.every(gone), request.timeoutMs, ctx.clock)
  if (ok) await settle(ctx, started, request.timeoutMs)
  return {
    responses: results.map((r) =>
      marked.includes(r.name) && !gone(r.name) ? { ...r, ...TIMED_OUT } : r,
    ),
  }
}
