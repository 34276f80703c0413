import type Router from '@koa/router'
import {
  bodyRequired,
  ON_BEHALF_HEADER,
  type OperationDef,
  type OperationId,
  type OperationOutput,
  type Operations,
  operations,
  type ParsedInput,
} from '@linli/shared-types'
import type { Context } from 'koa'
import type { z } from 'zod'
import { loadActor } from '../../modules/auth/actor'
import { verifyAccessToken } from '../../modules/auth/tokens'
import { actAs } from '../../modules/family/delegation'
import type { AppDeps } from '../deps'
import { AppError } from '../errors'
import type { Logger } from '../logger'
import { type Actor, hasRole } from '../policy'
import { sendsBody, shadowedByLiteral } from './hygiene'
import { checkIdempotencyKey, hashRequest, IDEMPOTENCY_HEADER, withIdempotency } from './idempotency'
import { enforceScope, type Scoped } from './scope'

/** What a route handler gets besides its parsed input. Services get only the actor and input. */
export interface Req {
  /** The signed-in actor; throws UNAUTHENTICATED on a public operation called anonymously. */
  readonly actor: Actor
  readonly actorOrNull: Actor | null
  /** The record the scope guard loaded for this handler (see `handed`), else null. */
  readonly scoped: Scoped
  readonly traceId: string
  readonly ip: string
  readonly log: Logger
  readonly deps: AppDeps
  /** For the rare route that must stream or set headers itself (files, CSV). */
  readonly koa: Context
}

export type Handler<O extends OperationDef> = (input: ParsedInput<O>, req: Req) => Promise<OperationOutput<O>>

export type Mount = <K extends OperationId>(id: K, handler: Handler<Operations[K]>) => void

/** Registers operations on a router: auth → validation → scope → idempotency → handler → response schema. */
export function mounter(router: Router, deps: AppDeps): Mount {
  return (id, handler) => {
    const def: OperationDef = operations[id]
    const needsBody = bodyRequired(def)
    router[def.method](id, def.path, async (ctx, next) => {
      if (shadowedByLiteral(def.path, ctx.path)) return next()
      ctx.state.operationId = id
      refuseWrongBody(ctx, def, needsBody)
      const caller = await authenticate(ctx, def, deps)
      // A file of a type the operation does not take (after sign-in, so strangers learn nothing);
      // bytes unlike their type are the handler's to refuse with 422: no schema describes them.
      if (def.upload && !ctx.is(...def.upload))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `请求体须为 ${def.upload.join('、')} 之一`)
      const input = parseInput(ctx, def)
      // A key sent is checked even when empty: the document says what a key must look like.
      if (def.idempotent && ctx.headers[IDEMPOTENCY_HEADER] !== undefined)
        checkIdempotencyKey(ctx.get(IDEMPOTENCY_HEADER))
      const onBehalf = ctx.get(ON_BEHALF_HEADER)
      const actor = caller && onBehalf ? await actAs(caller, onBehalf, id, def.method !== 'get') : caller
      // Scope is checked as the resident being acted for.
      const scoped = await enforceScope(id, def, actor, input)
      const req: Req = {
        get actor() {
          if (!actor) throw new AppError('UNAUTHENTICATED')
          return actor
        },
        actorOrNull: actor,
        scoped,
        traceId: ctx.state.traceId,
        ip: ctx.ip,
        log: ctx.state.log,
        deps,
        koa: ctx,
      }
      const run = async () => {
        const result = await (handler as Handler<OperationDef>)(input as ParsedInput<OperationDef>, req)
        if (!def.response) return { status: def.status ?? 200, body: undefined }
        // A reply unlike its schema is the server's fault (500), never the caller's (400).
        const reply = def.response.safeParse(result)
        if (!reply.success) throw new Error(`${id}: reply does not match its schema: ${reply.error.message}`)
        return { status: def.status ?? 200, body: reply.data }
      }
      const key = def.idempotent ? ctx.get(IDEMPOTENCY_HEADER) : ''
      const outcome =
        key && actor
          ? await withIdempotency(`${actor.userId}:${id}`, key, hashRequest(input), run)
          : await run()
      if (ctx.body === undefined || ctx.body === null) {
        ctx.status = outcome.status
        if (outcome.body !== undefined) ctx.body = outcome.body
      }
    })
  }
}

async function authenticate(ctx: Context, def: OperationDef, deps: AppDeps): Promise<Actor | null> {
  const header = ctx.get('authorization')
  if (!header) {
    if (def.access === 'public') return null
    throw new AppError('UNAUTHENTICATED')
  }
  const [scheme, token] = header.split(' ')
  if (scheme !== 'Bearer' || !token) throw new AppError('TOKEN_INVALID')
  const claims = verifyAccessToken(deps.config, token)
  const actor = await loadActor(claims.userId, claims.familyId)
  if (!actor) throw new AppError('TOKEN_INVALID')
  ctx.state.actor = actor
  if (Array.isArray(def.access) && !hasRole(actor, def.access)) throw new AppError('FORBIDDEN')
  return actor
}

/** Before anything else: JSON operations take JSON (or nothing, when the body is optional). */
function refuseWrongBody(ctx: Context, def: OperationDef, needsBody: boolean): void {
  if (def.upload) return
  if (sendsBody(ctx)) {
    if (!ctx.is('application/json'))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请求体须为 JSON（Content-Type: application/json）')
  } else if (needsBody) {
    throw new AppError('VALIDATION_FAILED', '缺少请求体')
  }
}

function parseInput(ctx: Context, def: OperationDef) {
  const body = (ctx.request as { body?: unknown }).body
  const hasBody =
    body !== undefined && !(typeof body === 'object' && body !== null && !Object.keys(body).length)
  refuseOperators(ctx.query, ['query'])
  refuseOperators(body, ['body'])
  if (!def.query && Object.keys(ctx.query).length)
    throw new AppError('VALIDATION_FAILED', '该接口不接受查询参数')
  if (!def.body && hasBody) throw new AppError('VALIDATION_FAILED', '该接口不接受请求体')
  return {
    params: parse(def.params, ctx.params),
    query: parse(def.query, ctx.query),
    body: parse(def.body, body ?? {}),
  }
}

const parse = (schema: z.ZodType | undefined, value: unknown) => (schema ? schema.parse(value) : undefined)

/** No key of any request may start with `$` or contain a dot: no user value becomes an operator. */
function refuseOperators(value: unknown, path: (string | number)[]): void {
  if (typeof value !== 'object' || value === null) return
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.'))
      throw new AppError('VALIDATION_FAILED', undefined, [
        { path: [...path, key], message: '不允许的字段名' },
      ])
    refuseOperators(inner, [...path, key])
  }
}
