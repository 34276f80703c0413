import { randomUUID } from 'node:crypto'
import { buildPath, type OperationId, type OperationInput, operations, type Role } from '@linli/shared-types'
import { afterAll, inject } from 'vitest'
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

/**
 * Starts the real BFF on a free port against a fresh database of the shared engine, seeded with the
 * demo street. Closes itself after the file's tests.
 */
export async function startTestApp(env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    WECHAT_API_BASE: inject('wechatUrl'),
    ...env,
  })
  const dbName = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const running = await startServer(config, { mongoUri: inject('mongoUri'), dbName, sweepers: false })
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

  /** The deps the app runs with, for calling services and sweepers directly. */
  const deps = running.deps

  return { url: running.url, config, dbName, deps, demo: demo as Demo, http, call, login }
}
