import { pingDb } from '../../platform/db'
import type { AppDeps } from '../../platform/deps'
import { fail } from '../../platform/errors'
import type { Mount } from '../../platform/http/operation'
import { createLimiter } from '../../platform/http/rate-limit'
import { devLogin, devScopes, loginWithWechat, logout, refresh, toMe } from './auth.service'

export function authRoutes(mount: Mount, deps: AppDeps): void {
  // One budget per client IP across every way of obtaining tokens.
  const limitLogin = createLimiter('login', deps.config.LOGIN_RATE_PER_MINUTE, 60)

  mount('getHealth', async () => {
    const ok = await pingDb()
    return {
      status: ok ? ('ok' as const) : ('degraded' as const),
      version: process.env.npm_package_version ?? '0.1.0',
      uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      db: { ok, ...deps.db },
      devLogin: deps.config.NODE_ENV !== 'production',
    }
  })
  mount('getLiveness', async () => ({ status: 'ok' as const }))
  mount('getReadiness', async () => {
    if (!(await pingDb())) fail('DB_UNAVAILABLE', '数据库暂时不可用')
    return { status: 'ok' as const }
  })
  mount('loginWechat', async ({ body }, { ip }) => {
    await limitLogin(ip)
    return loginWithWechat(deps, body.code)
  })
  mount('devLogin', async ({ body }, { ip }) => {
    await limitLogin(ip)
    return devLogin(deps, body)
  })
  mount('listDevScopes', () => devScopes(deps))
  mount('refreshToken', async ({ body }, { ip }) => {
    await limitLogin(ip)
    return refresh(deps, body.refreshToken)
  })
  mount('logout', async ({ body }, { deps }) => {
    await logout(deps, body.refreshToken)
    return undefined
  })
  mount('getMe', async (_, { actor }) => toMe(actor))
  // Each exchange spends WeChat's quota; a resident needs it once per claim.
  const limitPhone = createLimiter('phone-code', 10, 3600)
  mount('exchangePhoneCode', async ({ body }, { actor }) => {
    await limitPhone(actor.userId)
    // Handed back to prefill the claim form, never stored here: the claim stores what is submitted.
    return deps.wechat.getPhoneNumber(body.code)
  })
}
