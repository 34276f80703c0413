/**
 * A mock of WeChat's server-side API, as a real HTTP server, for development and tests.
 * code2Session: a code `mock_<name>` (optionally `mock_<name>.<nonce>`) logs in openid `o_mock_<name>`;
 * any other code of 8+ characters (WeChat DevTools' real ones) maps to a stable openid derived from
 * it. Codes work once (40163), codes containing `invalid` fail with 40029, and more than
 * `perMinute` logins per openid within a minute fail with 45011, as WeChat does.
 * getuserphonenumber: a code `phone_<11 digits>` stands for that number, any other code of 8+
 * characters for a stable number derived from it; codes work once and `invalid` ones fail (40029).
 * Subscribe messages: `/cgi-bin/token` issues access tokens, `/cgi-bin/message/subscribe/send`
 * checks the token and records what it received (see `received`), so tests can assert that each
 * message arrived exactly once; failures can be injected with `failNextSends`.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedMessage {
  touser: string
  template_id: string
  page?: string
  data: Record<string, { value: string }>
  at: string
}

export interface MockWechat {
  url: string
  /** Every subscribe message accepted, in order (also at `GET /__mock/subscribe-messages`). */
  received: ReceivedMessage[]
  /** Access tokens issued by `/cgi-bin/token`. */
  tokensIssued(): number
  /** The next `n` sends fail with `errcode` (-1 = system busy, retryable). */
  failNextSends(n: number, errcode?: number): void
  /** Invalidates every token issued so far (sends then get 40001). */
  expireTokens(): void
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

  const phoneCodes = new Set<string>()
  const phoneNumber = (token: string, body: string) => {
    if (!tokens.has(token)) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid' }
    let code = ''
    try {
      code = String((JSON.parse(body) as { code?: unknown }).code ?? '')
    } catch {
      return { errcode: 47001, errmsg: 'data format error' }
    }
    if (code.length < 8 || code.includes('invalid') || phoneCodes.has(code))
      return { errcode: 40029, errmsg: 'invalid code' }
    phoneCodes.add(code)
    const named = /^phone_(1[3-9]\d{9})(?:\.[A-Za-z0-9]+)?$/.exec(code)
    const digits = Number.parseInt(createHash('sha256').update(code).digest('hex').slice(0, 12), 16)
    const phone = named ? named[1]! : `138${String(digits % 100_000_000).padStart(8, '0')}`
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: 'mock' },
      },
    }
  }

  const received: ReceivedMessage[] = []
  const tokens = new Set<string>()
  let issued = 0
  let failures: { left: number; errcode: number } = { left: 0, errcode: -1 }

  const issueToken = (appid: string | null, secret: string | null) => {
    if (!appid || !secret) return { errcode: 40013, errmsg: 'invalid appid' }
    issued++
    const token = `mock_token_${issued}_${Date.now().toString(36)}`
    tokens.add(token)
    return { access_token: token, expires_in: 7200 }
  }

  const subscribeSend = (token: string, body: string) => {
    if (!tokens.has(token)) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid' }
    if (failures.left > 0) {
      failures.left--
      return { errcode: failures.errcode, errmsg: 'system error' }
    }
    let msg: Partial<ReceivedMessage>
    try {
      msg = JSON.parse(body) as Partial<ReceivedMessage>
    } catch {
      return { errcode: 47001, errmsg: 'data format error' }
    }
    if (!msg.touser || !msg.template_id || typeof msg.data !== 'object')
      return { errcode: 47003, errmsg: 'argument invalid' }
    if (msg.touser.includes('refuse')) return { errcode: 43101, errmsg: 'user refuse to accept the msg' }
    received.push({ ...(msg as ReceivedMessage), at: new Date().toISOString() })
    return { errcode: 0, errmsg: 'ok', msgid: received.length }
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = ''
      req.on('data', (chunk) => {
        data += chunk
      })
      req.on('end', () => resolve(data))
    })

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    res.setHeader('content-type', 'application/json')
    if (url.pathname === '/cgi-bin/token') {
      const p = url.searchParams
      return res.end(JSON.stringify(issueToken(p.get('appid'), p.get('secret'))))
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      const body = await readBody(req)
      return res.end(JSON.stringify(subscribeSend(url.searchParams.get('access_token') ?? '', body)))
    }
    if (url.pathname === '/wxa/business/getuserphonenumber' && req.method === 'POST') {
      const body = await readBody(req)
      return res.end(JSON.stringify(phoneNumber(url.searchParams.get('access_token') ?? '', body)))
    }
    if (url.pathname === '/__mock/subscribe-messages') {
      const touser = url.searchParams.get('touser')
      return res.end(JSON.stringify(touser ? received.filter((m) => m.touser === touser) : received))
    }
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
    received,
    tokensIssued: () => issued,
    failNextSends(n, errcode = -1) {
      failures = { left: n, errcode }
    },
    expireTokens() {
      tokens.clear()
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
