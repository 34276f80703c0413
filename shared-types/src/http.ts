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
  /** Whose records it reaches (object-level authorization); required so no operation forgets it. */
  readonly scope: Scope
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

/**
 * How far a caller reaches a community's records. `staff`: staff of the community (street staff of
 * its street, admin); `handler`: those or a grid worker of the community; `member`: those or a
 * verified resident of the community; `owner`: only the record's owner (the `owner` flag below).
 */
export type Reach = 'staff' | 'handler' | 'member' | 'owner'

/** Records addressed by a path `:id` whose community the BFF checks before the handler runs. */
export const recordKinds = [
  'topic',
  'deliberationDay',
  'need',
  'booking',
  'space',
  'blackout',
  'residencyClaim',
  'volunteerHours',
  'reward',
  'activity',
  'activitySession',
  'item',
  'notice',
  'homeVisit',
  'merchant',
] as const
export type RecordKind = (typeof recordKinds)[number]

/**
 * Object-level authorization of an operation. A record of a community the caller does not reach
 * answers 404, exactly like a missing one. The BFF's mounter enforces `community` and `record`
 * before the handler runs; services still narrow further (a grid worker's own grid, a need's reporter).
 * - `none`: touches no community's records (sign-in, health).
 * - `catalogue`: a public catalogue readable across communities (listed in README → Security).
 * - `own`: only the caller's own records (or its merchant's); the service filters by the caller.
 * - `community`: the community named by `communityId` in the query or body (or by the path `:id`
 *   when `idIn: 'path'`) must be within `reach`; without one the service uses the caller's own reach.
 * - `record`: the record of `record` kind named by the path `:id` must be within `reach` of the
 *   caller, or be the caller's own when `owner` is set (its reporter, proposer, booker; a reward's merchant).
 */
export type Scope =
  | { readonly kind: 'none' | 'catalogue' | 'own' }
  | { readonly kind: 'community'; readonly reach: Exclude<Reach, 'owner'>; readonly idIn?: 'path' }
  | { readonly kind: 'record'; readonly record: RecordKind; readonly reach: Reach; readonly owner?: true }

/** An `Idempotency-Key`: 8–128 letters, digits, `_` or `-` (a UUID fits). Sent empty, it is refused. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_-]{8,128}$'

/** The header naming the resident a bound family member acts for. */
export const ON_BEHALF_HEADER = 'x-on-behalf-of'

export const op = <const T extends OperationDef>(def: T): T => def

/**
 * What a client needs of an operation at run time: no schemas, so it carries no zod. The
 * mini-program gets the table of every operation's route at build time (miniapp/config), which
 * keeps the contract's schemas out of its first load.
 */
export type OperationRoute = Pick<OperationDef, 'method' | 'path' | 'access' | 'idempotent'>

/** The routes of a table of operations. */
export function routesOf<T extends Record<string, OperationDef>>(ops: T): { [K in keyof T]: OperationRoute } {
  const routes = {} as { [K in keyof T]: OperationRoute }
  for (const id of Object.keys(ops) as (keyof T)[]) {
    const { method, path, access, idempotent } = ops[id] as OperationDef
    routes[id] = idempotent ? { method, path, access, idempotent } : { method, path, access }
  }
  return routes
}

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
