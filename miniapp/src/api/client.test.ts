import { operations, PRIVACY_NOTICE_VERSION, routesOf } from '@linli/shared-types'
import { describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  createClient,
  queryString,
  type Tokens,
  type TransportRequest,
  type TransportResponse,
} from './client'

const routes = routesOf(operations)

const problem = (code: string, status: number, title = '出错了') => ({
  status,
  data: { type: 'about:blank', title, status, code, traceId: 't' },
})
const pair = (n: number) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 900,
  user: {
    id: 'a'.repeat(24),
    nickname: 'n',
    roles: [],
    residencyStatus: 'none',
    communityId: null,
    timezone: 'Asia/Shanghai',
  },
})

function memoryTokens(initial: Tokens | null = { accessToken: 'access-0', refreshToken: 'refresh-0' }) {
  let value = initial
  return {
    get: () => value,
    set: (t: Tokens) => {
      value = t
    },
    clear: () => {
      value = null
    },
  }
}

/** A fake transport answering with `handler`, recording every request. */
function setup(
  handler: (req: TransportRequest) => TransportResponse | Promise<TransportResponse>,
  tokens = memoryTokens(),
) {
  const requests: TransportRequest[] = []
  const onProblem = vi.fn()
  const onSignedOut = vi.fn()
  const client = createClient({
    routes,
    baseUrl: 'https://api.test',
    transport: async (req) => {
      requests.push(req)
      return handler(req)
    },
    tokens,
    onProblem,
    onSignedOut,
    newKey: () => 'generated-key-0001',
  })
  return { client, requests, onProblem, onSignedOut, tokens }
}

const ok = (data: unknown = {}) => ({ status: 200, data })
const id = '0123456789abcdef01234567'

describe('api client', () => {
  it('fills path parameters and encodes the query', async () => {
    const { client, requests } = setup(() => ok({ items: [], nextCursor: null }))
    await client.call('getResidencyClaim', { params: { id } })
    await client.call('listResidencyClaims', { query: { status: 'pending', limit: 5, cursor: 'a b&c' } })
    await client.call('listAuditLog', { query: { cursor: undefined } })
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET https://api.test/api/v1/residency-claims/${id}`,
      'GET https://api.test/api/v1/residency-claims?status=pending&limit=5&cursor=a%20b%26c',
      'GET https://api.test/api/v1/audit-log',
    ])
    expect(requests[0]!.data).toBeUndefined()
  })

  it('sends the bearer token on user operations only', async () => {
    const { client, requests } = setup(() => ok())
    await client.call('getMe')
    await client.call('listCommunities', { query: {} })
    expect(requests[0]!.headers.Authorization).toBe('Bearer access-0')
    expect(requests[1]!.headers.Authorization).toBeUndefined()
  })

  it('sends JSON bodies and an Idempotency-Key on idempotent operations', async () => {
    const { client, requests } = setup(() => ({ status: 201, data: { id } }))
    const body = {
      communityId: id,
      courtyardId: id,
      buildingId: id,
      unit: '1',
      room: '101',
      realName: '张三',
      phone: '13812345678',
      consentVersion: PRIVACY_NOTICE_VERSION,
    }
    await client.call('submitResidencyClaim', { body })
    await client.call('submitResidencyClaim', { body }, { idempotencyKey: 'chosen-key-123' })
    await client.call('getMe')
    expect(requests[0]!.method).toBe('POST')
    expect(requests[0]!.data).toEqual(body)
    expect(requests[0]!.headers['Content-Type']).toBe('application/json')
    expect(requests[0]!.headers['Idempotency-Key']).toBe('generated-key-0001')
    expect(requests[1]!.headers['Idempotency-Key']).toBe('chosen-key-123')
    expect(requests[2]!.headers['Idempotency-Key']).toBeUndefined()
  })

  it('returns undefined for 204 responses', async () => {
    const { client } = setup(() => ({ status: 204, data: null }))
    await expect(client.call('logout', { body: { refreshToken: 'r' } })).resolves.toBeUndefined()
  })

  it('refreshes once for concurrent expired tokens and retries each call', async () => {
    let refreshes = 0
    const { client, requests, tokens, onProblem } = setup(async (req) => {
      if (req.url.endsWith('/auth/refresh')) {
        refreshes++
        await new Promise((r) => setTimeout(r, 10))
        return ok(pair(1))
      }
      return req.headers.Authorization === 'Bearer access-1'
        ? ok({ fine: true })
        : problem('TOKEN_EXPIRED', 401)
    })
    const results = await Promise.all([
      client.call('getMe'),
      client.call('getMyResidency'),
      client.call('getMe'),
    ])
    expect(results).toEqual([{ fine: true }, { fine: true }, { fine: true }])
    expect(refreshes).toBe(1)
    expect(requests.find((r) => r.url.endsWith('/auth/refresh'))!.data).toEqual({ refreshToken: 'refresh-0' })
    expect(tokens.get()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    expect(onProblem).not.toHaveBeenCalled()
  })

  it('retries without refreshing when another call already renewed the token', async () => {
    const tokens = memoryTokens()
    const { client, requests } = setup((req) => {
      if (req.headers.Authorization === 'Bearer access-0') {
        tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-1' })
        return problem('TOKEN_EXPIRED', 401)
      }
      return ok({ fine: true })
    }, tokens)
    await expect(client.call('getMe')).resolves.toEqual({ fine: true })
    expect(requests.some((r) => r.url.endsWith('/auth/refresh'))).toBe(false)
  })

  it('signs out once when the refresh is refused', async () => {
    const { client, tokens, onSignedOut, onProblem } = setup((req) =>
      req.url.endsWith('/auth/refresh')
        ? problem('REFRESH_TOKEN_REUSED', 401)
        : problem('TOKEN_EXPIRED', 401, '登录已过期，请重新登录'),
    )
    const calls = [client.call('getMe'), client.call('getMe'), client.call('getMyResidency')]
    const settled = await Promise.allSettled(calls)
    for (const s of settled) {
      expect(s.status).toBe('rejected')
      expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 })
    }
    expect(tokens.get()).toBeNull()
    expect(onSignedOut).toHaveBeenCalledTimes(1)
    expect(onProblem).toHaveBeenCalledTimes(3)
  })

  it('signs out when a token is refused outright', async () => {
    const { client, tokens, onSignedOut } = setup(() => problem('TOKEN_INVALID', 401))
    await expect(client.call('getMe')).rejects.toMatchObject({ code: 'TOKEN_INVALID' })
    expect(tokens.get()).toBeNull()
    expect(onSignedOut).toHaveBeenCalledTimes(1)
  })

  it('maps problem+json to ApiError and reports it unless quiet', async () => {
    const { client, onProblem } = setup(() => problem('RESIDENCY_CLAIM_PENDING', 409, '已有待审核的认证申请'))
    const error = await client.call('getMyResidency').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'RESIDENCY_CLAIM_PENDING',
      status: 409,
      title: '已有待审核的认证申请',
    })
    expect(onProblem).toHaveBeenCalledWith(error)
    await client.call('getMyResidency', undefined, { quiet: true }).catch(() => {})
    expect(onProblem).toHaveBeenCalledTimes(1)
  })

  it('maps non-problem failures and network errors', async () => {
    const { client } = setup(() => ({ status: 502, data: '<html>bad gateway</html>' }))
    await expect(client.call('getMe')).rejects.toMatchObject({ code: 'INTERNAL', status: 502 })
    const offline = createClient({
      routes,
      baseUrl: '',
      transport: () => Promise.reject(new Error('offline')),
      tokens: memoryTokens(),
    })
    await expect(offline.call('getMe')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
  })

  it('logs out by revoking the refresh token and forgetting both tokens', async () => {
    const { client, requests, tokens } = setup(() => ({ status: 204, data: null }))
    await client.logout()
    expect(tokens.get()).toBeNull()
    expect(requests[0]!.url).toBe('https://api.test/api/v1/auth/logout')
    expect(requests[0]!.data).toEqual({ refreshToken: 'refresh-0' })
  })
})

describe('queryString', () => {
  it('skips empty values and repeats arrays', () => {
    expect(queryString(undefined)).toBe('')
    expect(queryString({})).toBe('')
    expect(queryString({ a: [1, 2], b: null, c: '中' })).toBe('?a=1&a=2&c=%E4%B8%AD')
  })
})
