import { AppError } from '../../platform/errors'

export interface WechatSession {
  openid: string
  sessionKey: string
  unionid?: string
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>
}

interface Code2SessionReply {
  openid?: string
  session_key?: string
  unionid?: string
  errcode?: number
  errmsg?: string
}

/**
 * WeChat's auth.code2Session over HTTP. The base URL is config: the real API in production, the mock
 * WeChat server (scripts/mock-wechat.ts) in development and tests.
 */
export function createWechatClient(opts: { baseUrl: string; appid: string; secret: string }): WechatClient {
  return {
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
        if (reply.errcode === 45011) throw new AppError('RATE_LIMITED', '微信登录过于频繁，请稍后再试')
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
