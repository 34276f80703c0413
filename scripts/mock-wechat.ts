/**
 * A mock of WeChat's server-side API, as a real HTTP server, for development and tests.
 * code2Session: a code `mock_<name>` (optionally `mock_<name>.<nonce>`) logs in openid `o_mock_<name>`;
 * any other code of 8+ characters (WeChat DevTools' real ones) maps to a stable openid derived from
 * it. Codes work once (40163), codes containing `invalid` fail with 40029, and more than
 * `perMinute` logins per openid within a minute fail with 45011, as WeChat does.
 */
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MockWechat {
  url: string
  stop(): Promise<void>
}

export async function startMockWechat({ port = 0, perMinute = 20 } = {}): Promise<MockWechat> {
  const used = new Set<string>()
  const recent = new Map<string, number[]>()

  const code2Session = (code: string) => {
    if (code.length < 8 && !code.startsWith('mock_')) return { errcode: 40029, errmsg: 'invalid code' }
    if (code.includes('invalid')) return { errcode: 40029, errmsg: 'invalid code' }
    if (used.has(code)) return { errcode: 40163, errmsg: 'code been used' }
    used.add(code)
    const named = /^mock_([A-Za-z0-9_-]+?)(?:\.[A-Za-z0-9]+)?$/.exec(code)
    const openid = named
      ? `o_mock_${named[1]}`
      : `o_${createHash('sha256').update(code).digest('base64url').slice(0, 26)}`
    const now = Date.now()
    const times = (recent.get(openid) ?? []).filter((t) => now - t < 60_000)
    if (times.length >= perMinute) return { errcode: 45011, errmsg: 'api minute-quota reach limit' }
    recent.set(openid, [...times, now])
    return {
      openid,
      session_key: createHash('sha256').update(`${openid}:${now}`).digest('base64').slice(0, 24),
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    res.setHeader('content-type', 'application/json')
    if (url.pathname === '/sns/jscode2session') {
      const appid = url.searchParams.get('appid')
      const secret = url.searchParams.get('secret')
      const code = url.searchParams.get('js_code') ?? ''
      if (!appid || !secret) return res.end(JSON.stringify({ errcode: 40013, errmsg: 'invalid appid' }))
      return res.end(JSON.stringify(code2Session(code)))
    }
    res.statusCode = 404
    res.end(JSON.stringify({ errcode: 404, errmsg: 'not found' }))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
