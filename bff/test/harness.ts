import { randomUUID } from 'node:crypto'
import { buildPath, type OperationId, type OperationInput, operations, type Role } from '@linli/shared-types'
import { afterAll, inject } from 'vitest'
import { Membership } from '../src/modules/auth/membership.model'
import { signAccessToken } from '../src/modules/auth/tokens'
import { User } from '../src/modules/auth/user.model'
import { loadConfig } from '../src/platform/config'
import { type Demo, seedDemo } from '../src/seed/demo'
import { startServer } from '../src/server'

export interface Reply<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  token?: string | undefined
  headers?: Record<string, string>
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>

/** A resident made by `verifiedResidents`; `handle` is their dev-login handle. */
export interface TestResident {
  id: string
  token: string
  handle: string
}

/**
 * Starts the real BFF on a free port against a fresh database of the shared engine, seeded with the
 * demo street. Closes itself after the file's tests. (The mongoose connection is process-wide: a
 * second app in the same file reuses the first one's connection and database.)
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { dbName?: string; monitorCommands?: boolean } = {},
) {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    WECHAT_API_BASE: inject('wechatUrl'),
    ...env,
  })
  // Pass another app's `dbName` to run a second instance over the same database.
  const dbName = opts.dbName ?? `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const running = await startServer(config, {
    mongoUri: inject('mongoUri'),
    dbName,
    sweepers: false,
    monitorCommands: opts.monitorCommands ?? false,
  })
  const { demo } = await seedDemo()
  afterAll(() => running.close())

  /** Raw HTTP, for requests the typed helper cannot express (bad JSON, wrong types). */
  async function http<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    { token, headers = {} }: CallOptions = {},
  ): Promise<Reply<T>> {
    const res = await fetch(`${running.url}${path}`, {
      method: method.toUpperCase(),
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers }
  }

  /** Calls an operation by id; inputs are deliberately loose so tests can send bad ones. */
  function call<T = any>(
    id: OperationId,
    input: Partial<OperationInput<(typeof operations)[typeof id]>> & Record<string, unknown> = {},
    opts: CallOptions = {},
  ) {
    const def = operations[id]
    const { params, query, body } = input as {
      params?: Record<string, string>
      query?: Record<string, string>
      body?: unknown
    }
    const qs = query ? `?${new URLSearchParams(query)}` : ''
    return http<T>(def.method, buildPath(def.path, params) + qs, body, opts)
  }

  /** Signs in through dev login and returns the access token. */
  async function login(role: Role, opts: { scopeId?: string; handle?: string } = {}): Promise<string> {
    const res = await call<{ accessToken: string }>('devLogin', { body: { role, ...opts } })
    if (res.status !== 200) throw new Error(`dev login failed: ${JSON.stringify(res.body)}`)
    return res.body.accessToken
  }

  let residentBatch = 0
  /**
   * `n` verified residents of a demo community, each in their own household, made directly in the
   * database (fast enough for hundreds); tokens are signed like a login's. Handles are `${prefix}-${i}`,
   * so a dev login with one signs in as that resident.
   */
  async function verifiedResidents(
    n: number,
    communityId: string,
    prefix = `resident-${residentBatch++}`,
  ): Promise<TestResident[]> {
    const community = [demo.communityA, demo.communityB].find((c) => c.id === communityId)
    if (!community) throw new Error(`not a demo community: ${communityId}`)
    const handles = Array.from({ length: n }, (_, i) => `${prefix}-${i}`)
    const users = await User.insertMany(
      handles.map((handle) => ({
        openid: `dev:${handle}`,
        nickname: handle,
        residency: {
          status: 'verified',
          communityId: community.id,
          gridId: community.gridIds[0],
          courtyardId: community.courtyardIds[0],
          buildingId: community.buildingIds[0],
          householdKey: `${community.buildingIds[0]}:1:${handle}`,
        },
      })),
    )
    await Membership.insertMany(
      users.map((u) => ({
        userId: u._id,
        role: 'resident',
        scopeType: 'community',
        scopeId: community.id,
        scopeName: community.name,
      })),
    )
    return users.map((u, i) => ({
      id: String(u._id),
      handle: handles[i]!,
      token: signAccessToken(config, String(u._id), 'test'),
    }))
  }

  /** The deps the app runs with, for calling services and sweepers directly. */
  const deps = running.deps

  return {
    url: running.url,
    config,
    dbName,
    deps,
    demo: demo as Demo,
    http,
    call,
    login,
    verifiedResidents,
  }
}
