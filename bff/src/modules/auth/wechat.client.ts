import { AppError } from '../../platform/errors'

export interface WechatSession {
  openid: string
  sessionKey: string
  unionid?: string
}

export interface SubscribeMessage {
  touser: string
  template_id: string
  page?: string | undefined
  data: Record<string, { value: string }>
}

/** A failed send: `retryable` when WeChat was busy or unreachable, not when the message was refused. */
export class WechatSendError extends Error {
  constructor(
    readonly errcode: number,
    readonly retryable: boolean,
    message: string,
  ) {
    super(message)
    this.name = 'WechatSendError'
  }
}

export interface WechatPhone {
  /** Without the country code (purePhoneNumber). */
  phone: string
  countryCode: string
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>
  /** phonenumber.getPhoneNumber: the phone a getPhoneNumber button's code stands for. */
  getPhoneNumber(code: string): Promise<WechatPhone>
  /** The server's access token, cached until shortly before it expires. */
  getAccessToken(force?: boolean): Promise<string>
  /** Sends one subscribe message (订阅消息); throws WechatSendError. */
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>
}

/** errcodes worth retrying: system busy, rate and frequency limits. */
const RETRYABLE = new Set([-1, 45009, 45011, 45047])
/** Token invalid or expired: fetch a fresh token and try once more. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001])

interface Code2SessionReply {
  openid?: string
  session_key?: string
  unionid?: string
  errcode?: number
  errmsg?: string
}

interface PhoneReply {
  errcode?: number
  errmsg?: string
  phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string | number }
}

/**
 * WeChat's auth.code2Session over HTTP. The base URL is config: the real API in production, the mock
 * WeChat server (scripts/mock-wechat.ts) in development and tests.
 */
export function createWechatClient(opts: { baseUrl: string; appid: string; secret: string }): WechatClient {
  let token: { value: string; expiresAt: number } | null = null
  let pending: Promise<string> | null = null

  async function fetchToken(): Promise<string> {
    const url = new URL('/cgi-bin/token', opts.baseUrl)
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: opts.appid,
      secret: opts.secret,
    }).toString()
    let reply: { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
      reply = (await res.json()) as typeof reply
    } catch {
      throw new WechatSendError(-1, true, 'token endpoint unreachable')
    }
    if (!reply.access_token)
      throw new WechatSendError(reply.errcode ?? -1, true, `token: ${reply.errmsg ?? ''}`)
    // Refresh five minutes early so a token never expires mid-send.
    token = { value: reply.access_token, expiresAt: Date.now() + ((reply.expires_in ?? 7200) - 300) * 1000 }
    return token.value
  }

  async function getAccessToken(force = false): Promise<string> {
    if (!force && token && token.expiresAt > Date.now()) return token.value
    // One fetch at a time per process: concurrent senders share it.
    pending ??= fetchToken().finally(() => {
      pending = null
    })
    return pending
  }

  async function send(message: SubscribeMessage, accessToken: string) {
    const url = new URL('/cgi-bin/message/subscribe/send', opts.baseUrl)
    url.search = new URLSearchParams({ access_token: accessToken }).toString()
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(5000),
      })
    } catch (error) {
      // A timeout may have been delivered: not retried, so a message is never sent twice.
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
      throw new WechatSendError(-2, !timedOut, timedOut ? 'send timed out' : 'send unreachable')
    }
    if (res.status >= 500) throw new WechatSendError(res.status, true, `HTTP ${res.status}`)
    return ((await res.json()) as { errcode?: number; errmsg?: string }) ?? {}
  }

  return {
    getAccessToken,
    async sendSubscribeMessage(message) {
      let reply = await send(message, await getAccessToken())
      if (reply.errcode && TOKEN_ERRORS.has(reply.errcode))
        reply = await send(message, await getAccessToken(true))
      if (!reply.errcode) return
      throw new WechatSendError(reply.errcode, RETRYABLE.has(reply.errcode), reply.errmsg ?? 'send failed')
    },
    async getPhoneNumber(code) {
      const call = async (accessToken: string) => {
        const url = new URL('/wxa/business/getuserphonenumber', opts.baseUrl)
        url.search = new URLSearchParams({ access_token: accessToken }).toString()
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ code }),
            signal: AbortSignal.timeout(5000),
          })
          return (await res.json()) as PhoneReply
        } catch {
          throw new AppError('WECHAT_UNAVAILABLE')
        }
      }
      const token = async (force = false) => {
        try {
          return await getAccessToken(force)
        } catch {
          throw new AppError('WECHAT_UNAVAILABLE')
        }
      }
      let reply = await call(await token())
      if (reply.errcode && TOKEN_ERRORS.has(reply.errcode)) reply = await call(await token(true))
      // 40029 invalid or used code; -1 system busy; anything else is WeChat's trouble, not the resident's.
      if (reply.errcode === 40029) throw new AppError('WECHAT_PHONE_CODE_INVALID')
      const info = reply.phone_info
      if (reply.errcode || !info?.purePhoneNumber)
        throw new AppError('WECHAT_UNAVAILABLE', `errcode ${reply.errcode ?? 'none'}`)
      return { phone: info.purePhoneNumber, countryCode: String(info.countryCode ?? '86') }
    },
    async code2Session(code) {
      const url = new URL('/sns/jscode2session', opts.baseUrl)
      url.search = new URLSearchParams({
        appid: opts.appid,
        secret: opts.secret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString()
      let reply: Code2SessionReply
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
        reply = (await res.json()) as Code2SessionReply
      } catch {
        throw new AppError('WECHAT_UNAVAILABLE')
      }
      if (reply.errcode) {
        // 40029 invalid code, 40163 code already used, 45011 per-user minute quota, -1 system busy.
        if (reply.errcode === 40029 || reply.errcode === 40163) throw new AppError('WECHAT_CODE_INVALID')
        if (reply.errcode === 45011)
          throw new AppError('RATE_LIMITED', '微信登录过于频繁，请稍后再试', undefined, 60)
        throw new AppError('WECHAT_UNAVAILABLE', `errcode ${reply.errcode}`)
      }
      if (!reply.openid || !reply.session_key) throw new AppError('WECHAT_UNAVAILABLE')
      return {
        openid: reply.openid,
        sessionKey: reply.session_key,
        ...(reply.unionid ? { unionid: reply.unionid } : {}),
      }
    },
  }
}
