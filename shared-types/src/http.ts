import type { z } from 'zod'
import type { Role } from './roles'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/**
 * One API operation. The BFF mounts routes and generates OpenAPI from these; the mini-program's
 * client derives its request and response types from them. Paths use `:name` parameters.
 */
export interface OperationDef {
  readonly method: Method
  readonly path: string
  readonly summary: string
  readonly tag: string
  /** `public`: no token; `user`: any signed-in user; otherwise one of these roles is needed. */
  readonly access: 'public' | 'user' | readonly Role[]
  readonly params?: z.ZodType
  readonly query?: z.ZodType
  readonly body?: z.ZodType
  /** Response body schema; omitted for 204. */
  readonly response?: z.ZodType
  readonly status?: 200 | 201 | 202 | 204
  /** Accepts an `Idempotency-Key` header: a repeat replays the first response. */
  readonly idempotent?: boolean
  /**
   * The body is a file, not JSON: the media types accepted (the handler reads and checks the bytes
   * itself). Operations without it take JSON bodies only.
   */
  readonly upload?: readonly string[]
}

/** The header naming the resident a bound family member acts for. */
export const ON_BEHALF_HEADER = 'x-on-behalf-of'

export const op = <const T extends OperationDef>(def: T): T => def

/** A body is required unless its schema accepts an empty object (then no body means `{}`). */
export const bodyRequired = (def: OperationDef): boolean => !!def.body && !def.body.safeParse({}).success

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined
type InferIn<S> = S extends z.ZodType ? z.input<S> : undefined

/** What a caller sends (before defaults and coercion). */
export type OperationInput<O extends OperationDef> = {
  [K in 'params' | 'query' | 'body' as O[K] extends z.ZodType ? K : never]: InferIn<O[K]>
}
/** What a handler receives after parsing. */
export type ParsedInput<O extends OperationDef> = {
  params: Infer<O['params']>
  query: Infer<O['query']>
  body: Infer<O['body']>
}
export type OperationOutput<O extends OperationDef> = O['response'] extends z.ZodType
  ? z.output<O['response']>
  : undefined

/** Fills `:name` placeholders, encoding each value. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(value)
  })
}
