import {
  buildPath,
  type ErrorCode,
  errors,
  isProblem,
  type OperationId,
  type OperationInput,
  type OperationOutput,
  type OperationRoute,
  type Operations,
  type Problem,
} from '@linli/shared-types'

/**
 * The typed API client. Pure: the platform (Taro.request, storage, toasts, navigation) is passed in,
 * so the retry, refresh and error rules are tested with a fake transport.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface TransportRequest {
  method: HttpMethod
  url: string
  headers: Record<string, string>
  data?: unknown
}
export interface TransportResponse {
  status: number
  data: unknown
}
export type Transport = (req: TransportRequest) => Promise<TransportResponse>

export interface Tokens {
  accessToken: string
  refreshToken: string
}
export interface TokenStore {
  get(): Tokens | null
  set(tokens: Tokens): void
  clear(): void
}

export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR'

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: number
  readonly title: string
  readonly problem: Problem

  constructor(problem: Problem | (Omit<Problem, 'code'> & { code: ApiErrorCode })) {
    super(problem.title)
    this.name = 'ApiError'
    this.code = problem.code
    this.status = problem.status
    this.title = problem.title
    this.problem = problem as Problem
  }
}

export interface CallOptions {
  /** Reuse a key to make a retry of the same intent safe; a fresh one is made per call otherwise. */
  idempotencyKey?: string
  /** Do not report problems to `onProblem` (the caller shows them its own way). */
  quiet?: boolean
  /** Act for a bound family member (代办): the elder's user id, checked by the server each time. */
  onBehalfOf?: string
}

type Input<K extends OperationId> = OperationInput<Operations[K]>
type Output<K extends OperationId> = OperationOutput<Operations[K]>
/** The input may be left out when the operation takes nothing. */
type CallArgs<K extends OperationId> = Record<string, never> extends Input<K>
  ? [input?: Input<K>, options?: CallOptions]
  : [input: Input<K>, options?: CallOptions]

export interface ClientOptions {
  /**
   * Every operation's route (`routesOf(operations)`): the app gets it built in (LINLI_ROUTES), so
   * the client does not load the contract's schemas to know where to send a call.
   */
  routes: Record<OperationId, OperationRoute>
  /** Prepended to every path: '' for same origin (H5), the API origin for weapp. */
  baseUrl: string
  transport: Transport
  tokens: TokenStore
  /** Every problem a call ends with, e.g. to toast its title. */
  onProblem?: (problem: ApiError) => void
  /** The session ended (refresh failed or tokens refused): tokens are already cleared. */
  onSignedOut?: () => void
  /** Idempotency key source; random by default. */
  newKey?: () => string
}

export type Client = ReturnType<typeof createClient>

const networkProblem = {
  type: 'about:blank',
  title: '网络不给力，请稍后重试',
  status: 0,
  code: 'NETWORK_ERROR',
} as const

export function createClient(options: ClientOptions) {
  const { routes, baseUrl, transport, tokens, onProblem, onSignedOut, newKey = randomKey } = options
  let refreshing: Promise<boolean> | null = null

  async function send(req: TransportRequest): Promise<TransportResponse> {
    try {
      return await transport(req)
    } catch {
      throw new ApiError(networkProblem)
    }
  }

  function signOut(): void {
    tokens.clear()
    onSignedOut?.()
  }

  /** Concurrent callers share one refresh: the refresh token rotates, so it is good for one use. */
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const current = tokens.get()
      if (!current) return false
      const res = await send({
        method: 'POST',
        url: baseUrl + routes.refreshToken.path,
        headers: { 'Content-Type': 'application/json' },
        data: { refreshToken: current.refreshToken },
      })
      // A network failure rejects above and keeps the session; a refused refresh ends it.
      const pair = res.status === 200 ? (res.data as Output<'refreshToken'>) : null
      if (!pair?.accessToken) {
        signOut()
        return false
      }
      tokens.set({ accessToken: pair.accessToken, refreshToken: pair.refreshToken })
      return true
    })().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  async function call<K extends OperationId>(
    id: K,
    ...[input, callOptions]: CallArgs<K>
  ): Promise<Output<K>> {
    const def: OperationRoute = routes[id]
    const { params, query, body } = (input ?? {}) as {
      params?: Record<string, string>
      query?: Record<string, unknown>
      body?: unknown
    }
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (def.idempotent) headers['Idempotency-Key'] = callOptions?.idempotencyKey ?? newKey()
    if (callOptions?.onBehalfOf) headers['X-On-Behalf-Of'] = callOptions.onBehalfOf
    const req: TransportRequest = {
      method: def.method.toUpperCase() as HttpMethod,
      url: baseUrl + buildPath(def.path, params) + queryString(query),
      headers,
      data: body,
    }
    const authed = def.access !== 'public'

    const attempt = () => {
      const token = authed ? tokens.get()?.accessToken : undefined
      return send(token ? { ...req, headers: { ...headers, Authorization: `Bearer ${token}` } } : req).then(
        (res) => ({ res, token }),
      )
    }

    try {
      let { res, token } = await attempt()
      if (authed && res.status === 401) {
        const current = tokens.get()
        // Another call may already have refreshed while this one was in flight.
        const renewed = !!token && !!current && current.accessToken !== token
        const expired = isProblem(res.data) && res.data.code === 'TOKEN_EXPIRED'
        if (renewed || (expired && (await refresh()))) ({ res, token } = await attempt())
        // Refused for good: a failed refresh has signed out already; otherwise sign out once here.
        if (res.status === 401 && (!token || tokens.get()?.accessToken === token)) signOut()
      }
      if (res.status >= 200 && res.status < 300)
        return (res.status === 204 ? undefined : res.data) as Output<K>
      throw toApiError(res)
    } catch (error) {
      if (error instanceof ApiError && !callOptions?.quiet) onProblem?.(error)
      throw error
    }
  }

  return {
    call,
    /** Stores the tokens of a fresh sign-in. */
    signIn(pair: Tokens): void {
      tokens.set({ accessToken: pair.accessToken, refreshToken: pair.refreshToken })
    },
    hasSession: () => tokens.get() !== null,
    /** Revokes the refresh token family on the server (best effort) and forgets the tokens. */
    async logout(): Promise<void> {
      const current = tokens.get()
      tokens.clear()
      if (current)
        await call('logout', { body: { refreshToken: current.refreshToken } }, { quiet: true }).catch(
          () => {},
        )
    },
  }
}

function toApiError(res: TransportResponse): ApiError {
  if (isProblem(res.data)) return new ApiError(res.data)
  const { title } = errors.INTERNAL
  return new ApiError({ type: 'about:blank', title, status: res.status, code: 'INTERNAL' })
}

/** `{ limit: 20, cursor: undefined }` → `?limit=20`; arrays repeat the key. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return ''
  const parts: string[] = []
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value])
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

/** 32 hex characters; crypto when the platform has it (H5), Math.random otherwise (weapp). */
export function randomKey(): string {
  const bytes = new Uint8Array(16)
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
