import { type ErrorCode, errors, type Problem } from '@linli/shared-types'
import type { Context, Next } from 'koa'
import mongoose from 'mongoose'
import { ZodError } from 'zod'
import { AppError } from '../errors'

type Issue = NonNullable<Problem['errors']>[number]

export function problemBody(ctx: Context, code: ErrorCode, detail?: string, issues?: Issue[]): Problem {
  const { status, title } = errors[code]
  return {
    type: `https://linli.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(issues?.length ? { errors: issues } : {}),
    traceId: ctx.state.traceId,
  }
}

export function sendProblem(ctx: Context, code: ErrorCode, detail?: string, issues?: Issue[]): void {
  const body = problemBody(ctx, code, detail, issues)
  ctx.status = body.status
  ctx.type = 'application/problem+json'
  ctx.body = body
}

const zodIssues = (error: ZodError): Issue[] =>
  error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }))

/** Maps every failure to one problem+json response; internals are logged, never sent. */
export async function problems(ctx: Context, next: Next): Promise<void> {
  try {
    await next()
    if (ctx.status === 404 && ctx.body === undefined) sendProblem(ctx, 'ROUTE_NOT_FOUND')
  } catch (error) {
    const mapped = classify(error)
    if (mapped.code === 'INTERNAL') ctx.state.log?.error({ err: error }, 'unhandled error')
    sendProblem(ctx, mapped.code, mapped.detail, mapped.issues)
    if (mapped.retryAfter) ctx.set('Retry-After', String(mapped.retryAfter))
  }
}

interface Mapped {
  code: ErrorCode
  detail?: string | undefined
  issues?: Issue[] | undefined
  retryAfter?: number
}

function classify(error: unknown): Mapped {
  if (error instanceof AppError)
    return {
      code: error.code,
      detail: error.detail,
      issues: error.issues,
      ...(error.retryAfter ? { retryAfter: error.retryAfter } : {}),
    }
  // Refinements (`custom` issues) are rules between fields the OpenAPI document cannot state: a
  // request that breaks only those is well-formed by the document, so it is 422, not 400.
  if (error instanceof ZodError)
    return {
      code: error.issues.every((i) => i.code === 'custom') ? 'RULE_VIOLATED' : 'VALIDATION_FAILED',
      issues: zodIssues(error),
    }
  if (error instanceof mongoose.Error.CastError)
    return { code: 'VALIDATION_FAILED', issues: [{ path: [error.path], message: '格式不正确' }] }
  if (error instanceof mongoose.Error.ValidationError)
    return {
      code: 'VALIDATION_FAILED',
      issues: Object.values(error.errors).map((e) => ({ path: [e.path], message: '格式不正确' })),
    }
  if (isDuplicateKey(error)) return { code: 'DUPLICATE' }
  const status = (error as { status?: number; expose?: boolean }).status
  // Koa's own errors, such as a body parser refusing malformed JSON or an oversized body.
  if (status === 400) return { code: 'VALIDATION_FAILED', detail: '请求体不是有效的 JSON' }
  if (status === 405) return { code: 'METHOD_NOT_ALLOWED' }
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE' }
  if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE' }
  if (error instanceof mongoose.mongo.MongoServerSelectionError) return { code: 'DB_UNAVAILABLE' }
  return { code: 'INTERNAL' }
}

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000
}

/** A bulk insert refused (some of) its documents as duplicates, and for no other reason. */
export function hasDuplicateKey(error: unknown): boolean {
  const found = (error as { writeErrors?: unknown })?.writeErrors
  const list = (Array.isArray(found) ? found : found ? [found] : []) as { code?: number }[]
  return list.length > 0 && list.every((e) => e.code === 11000)
}
