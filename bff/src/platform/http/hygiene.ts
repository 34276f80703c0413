import { type Server, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type Router from '@koa/router'
import { type ErrorCode, errors, type OperationDef, operations } from '@linli/shared-types'
import type { Context, Middleware, Next } from 'koa'
import { AppError } from '../errors'
import { sendProblem } from './problem'

/** Deeper JSON than this is refused before anything else looks at it. */
export const MAX_JSON_DEPTH = 32

const NUL = '\u0000'
const refuseNul = () => {
  throw new AppError('VALIDATION_FAILED', '内容不能包含空字符（U+0000）')
}

/**
 * Refuses a parsed body nested deeper than MAX_JSON_DEPTH (iterative, so depth costs no stack), and
 * any NUL character in the body's strings and keys or in the query: stores need not keep one (a
 * PostgreSQL-backed engine cannot), and the OpenAPI document declares every string free of it.
 */
export async function refuseDeepJson(ctx: Context, next: Next): Promise<void> {
  if (ctx.querystring.includes('%00') || ctx.querystring.includes(NUL)) refuseNul()
  const body = (ctx.request as { body?: unknown }).body
  if (typeof body === 'string' && body.includes(NUL)) refuseNul()
  if (typeof body === 'object' && body !== null) {
    const stack: [unknown, number][] = [[body, 1]]
    while (stack.length) {
      const [value, depth] = stack.pop()!
      if (depth > MAX_JSON_DEPTH)
        throw new AppError('VALIDATION_FAILED', `请求体嵌套不能超过 ${MAX_JSON_DEPTH} 层`)
      for (const [key, inner] of Object.entries(value as object)) {
        if (key.includes(NUL) || (typeof inner === 'string' && inner.includes(NUL))) refuseNul()
        if (typeof inner === 'object' && inner !== null) stack.push([inner, depth + 1])
      }
    }
  }
  await next()
}

/** Paths without parameters: such a path is never a parameter value of another route. */
const literalPaths = new Set(
  Object.values(operations as Record<string, OperationDef>)
    .map((def) => def.path)
    .filter((path) => !path.includes(':')),
)

/**
 * Whether a route with parameters is shadowed at this request path by a literal route
 * (`/needs/on-behalf` is not `/needs/:id` with id `on-behalf`), so the path answers only the literal
 * route's methods, as the OpenAPI document says.
 */
export const shadowedByLiteral = (routePath: string, requestPath: string): boolean =>
  routePath.includes(':') && literalPaths.has(requestPath)

/** Whether the request carries body bytes, whatever its method. */
export const sendsBody = (ctx: Context): boolean =>
  Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== ''

/**
 * Runs after the router (and static files): a path the router knows, asked with a method it does
 * not declare, answers 405 with `Allow` (an OPTIONS request just gets the `Allow`). Outside the API
 * only GET and HEAD exist.
 */
export function refuseUndeclaredMethods(router: Router, staticFiles: boolean): Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.status !== 404 || ctx.body != null) return
    const methods = new Set(
      router
        .match(ctx.path, ctx.method)
        .path.filter((layer) => !shadowedByLiteral(String(layer.path), ctx.path))
        .flatMap((layer) => layer.methods),
    )
    if (!methods.size && staticFiles && !ctx.path.startsWith('/api/')) methods.add('GET').add('HEAD')
    if (!methods.size || methods.has(ctx.method)) return
    methods.add('OPTIONS')
    ctx.set('Allow', [...methods].sort().join(', '))
    if (ctx.method === 'OPTIONS') ctx.status = 204
    else sendProblem(ctx, 'METHOD_NOT_ALLOWED')
  }
}

const clientErrorCodes: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
}

/**
 * Node answers requests it cannot parse (oversized headers, malformed request lines) before Koa
 * sees them, with a bare status line. Answer them as problem+json where the socket still takes it.
 */
export function problemsForClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const code = clientErrorCodes[error.code ?? ''] ?? 'VALIDATION_FAILED'
    const { status, title } = errors[code]
    const body = JSON.stringify({
      type: `https://linli.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      code,
    })
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  })
}
