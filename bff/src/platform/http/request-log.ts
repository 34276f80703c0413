import { randomUUID } from 'node:crypto'
import type { Context, Next } from 'koa'
import type { Logger } from '../logger'

/** Gives each request a trace id (or keeps a sane incoming one) and logs one line when it ends. */
export function requestLog(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id')
    const traceId = /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
    const started = performance.now()
    ctx.state.traceId = traceId
    ctx.state.log = log.child({ traceId })
    ctx.set('X-Trace-Id', traceId)
    try {
      await next()
    } finally {
      log.info(
        {
          traceId,
          actorId: ctx.state.actor?.userId ?? null,
          method: ctx.method,
          route: ctx.state.operationId ?? ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      )
    }
  }
}
