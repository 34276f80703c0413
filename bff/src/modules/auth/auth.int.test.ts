import jwt from 'jsonwebtoken'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { OrgUnit } from '../org/org-unit.model'
import { User } from './user.model'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '1000' })

describe('WeChat login through code2Session', () => {
  it('signs a new user in and again as the same user', async () => {
    const first = await app.call('loginWechat', { body: { code: 'mock_alice.1' } })
    expect(first.status).toBe(200)
    expect(first.body.user.residencyStatus).toBe('none')
    const again = await app.call('loginWechat', { body: { code: 'mock_alice.2' } })
    expect(again.body.user.id).toBe(first.body.user.id)
    expect(JSON.stringify(first.body)).not.toMatch(/session_?key/i)
  })

  it('maps WeChat errors: 40029 invalid, 40163 reused, 45011 rate limited', async () => {
    const invalid = await app.call('loginWechat', { body: { code: 'mock_invalid' } })
    expect(invalid.status).toBe(401)
    expect(invalid.body.code).toBe('WECHAT_CODE_INVALID')
    await app.call('loginWechat', { body: { code: 'mock_bob.1' } })
    const reused = await app.call('loginWechat', { body: { code: 'mock_bob.1' } })
    expect(reused.body.code).toBe('WECHAT_CODE_INVALID')
    // The mock allows 5 logins per openid per minute in tests, as WeChat's per-user quota.
    const codes = Array.from({ length: 6 }, (_, i) => `mock_carol.${i}`)
    const replies = []
    for (const code of codes) replies.push(await app.call('loginWechat', { body: { code } }))
    expect(replies.slice(0, 5).every((r) => r.status === 200)).toBe(true)
    expect(replies[5]!.status).toBe(429)
    expect(replies[5]!.body.code).toBe('RATE_LIMITED')
  })
})

describe('phone number through getPhoneNumber', () => {
  it('exchanges a button code for the signed-in resident’s phone, once per code', async () => {
    const token = await app.login('resident', { handle: 'phone-owner' })
    const got = await app.call('exchangePhoneCode', { body: { code: 'phone_13712345678.a' } }, { token })
    expect(got.status).toBe(200)
    expect(got.body).toEqual({ phone: '13712345678', countryCode: '86' })
    // A code works once; a spent or forged one is the resident's to fetch again (400, not a lost session).
    const again = await app.call('exchangePhoneCode', { body: { code: 'phone_13712345678.a' } }, { token })
    expect([again.status, again.body.code]).toEqual([422, 'WECHAT_PHONE_CODE_INVALID'])
    expect(again.body.title).toBe('手机号授权已失效，请重新获取')
    const forged = await app.call('exchangePhoneCode', { body: { code: 'invalid-code-1' } }, { token })
    expect(forged.body.code).toBe('WECHAT_PHONE_CODE_INVALID')
    // The phone is handed back, not kept: the profile has no phone until a claim is filed.
    const me = await app.call('getMe', {}, { token })
    expect(JSON.stringify(me.body)).not.toContain('13712345678')
  })

  it('needs a session and a code', async () => {
    const anon = await app.call('exchangePhoneCode', { body: { code: 'phone_13712345678.b' } })
    expect(anon.status).toBe(401)
    const token = await app.login('resident', { handle: 'phone-empty' })
    const empty = await app.call('exchangePhoneCode', { body: { code: ' ' } }, { token })
    expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_FAILED'])
  })
})

describe('tokens', () => {
  it('refuses a missing, forged or expired access token with distinct codes', async () => {
    const none = await app.call('getMe')
    expect([none.status, none.body.code]).toEqual([401, 'UNAUTHENTICATED'])
    const forged = jwt.sign({}, 'not-the-secret', { subject: '0123456789abcdef01234567', issuer: 'linli' })
    const f = await app.call('getMe', {}, { token: forged })
    expect([f.status, f.body.code]).toEqual([401, 'TOKEN_INVALID'])
    const token = await app.login('resident', { handle: 'expiring' })
    const { sub } = jwt.decode(token) as { sub: string }
    const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 10 }, app.config.JWT_SECRET, {
      subject: sub,
      issuer: 'linli',
      audience: 'linli-api',
    })
    const e = await app.call('getMe', {}, { token: expired })
    expect([e.status, e.body.code]).toEqual([401, 'TOKEN_EXPIRED'])
    expect(e.headers.get('content-type')).toContain('application/problem+json')
  })

  it('a token accepted before still expires, a tampered copy and another secret are refused', async () => {
    const token = await app.login('resident', { handle: 'short-lived' })
    const { sub, fam } = jwt.decode(token) as { sub: string; fam: string }
    const exp = Math.floor(Date.now() / 1000) + 2
    const short = jwt.sign({ sub, fam, iss: 'linli', aud: 'linli-api', exp }, app.config.JWT_SECRET)
    expect((await app.call('getMe', {}, { token: short })).status).toBe(200)
    const [head, body, signature] = short.split('.')
    const tampered = `${head}.${body}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await app.call('getMe', {}, { token: tampered })).body.code).toBe('TOKEN_INVALID')
    const other = await startTestApp(
      { JWT_SECRET: 'another-secret-of-at-least-32-chars!' },
      { dbName: app.dbName },
    )
    expect((await other.call('getMe', {}, { token: short })).body.code).toBe('TOKEN_INVALID')
    expect((await app.call('getMe', {}, { token: short })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50))
    const late = await app.call('getMe', {}, { token: short })
    expect([late.status, late.body.code]).toEqual([401, 'TOKEN_EXPIRED'])
  })

  it('rotates refresh tokens; reusing a rotated one revokes the whole family', async () => {
    const login = await app.call('devLogin', { body: { role: 'resident', handle: 'rotator' } })
    const r1 = login.body.refreshToken
    const second = await app.call('refreshToken', { body: { refreshToken: r1 } })
    expect(second.status).toBe(200)
    const r2 = second.body.refreshToken
    expect(r2).not.toBe(r1)

    const reuse = await app.call('refreshToken', { body: { refreshToken: r1 } })
    expect([reuse.status, reuse.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED'])
    // The thief's reuse also kills the legitimate holder's newer token.
    const after = await app.call('refreshToken', { body: { refreshToken: r2 } })
    expect([after.status, after.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED'])
  })

  it('lets exactly one of two concurrent refreshes with one token win', async () => {
    const login = await app.call('devLogin', { body: { role: 'resident', handle: 'racer' } })
    const replies = await Promise.all(
      [1, 2].map(() => app.call('refreshToken', { body: { refreshToken: login.body.refreshToken } })),
    )
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401])
  })

  it('logout revokes the family', async () => {
    const login = await app.call('devLogin', { body: { role: 'resident', handle: 'leaver' } })
    const out = await app.call('logout', { body: { refreshToken: login.body.refreshToken } })
    expect(out.status).toBe(204)
    const again = await app.call('refreshToken', { body: { refreshToken: login.body.refreshToken } })
    expect(again.status).toBe(401)
  })

  it('logout ends the access tokens of its family at once, on every instance', async () => {
    // A second instance over the same database stands for another BFF behind the load balancer.
    const other = await startTestApp({ LOGIN_RATE_PER_MINUTE: '1000' }, { dbName: app.dbName })
    const login = await app.call('devLogin', { body: { role: 'resident', handle: 'leaver-2' } })
    const kept = await app.call('devLogin', { body: { role: 'resident', handle: 'leaver-2' } })
    const token = login.body.accessToken
    expect((await other.call('getMe', {}, { token })).status).toBe(200)
    expect((await app.call('logout', { body: { refreshToken: login.body.refreshToken } })).status).toBe(204)
    for (const instance of [app, other]) {
      const me = await instance.call('getMe', {}, { token })
      expect([me.status, me.body.code]).toEqual([401, 'TOKEN_INVALID'])
    }
    // Another session of the same person (another family) is untouched.
    expect((await other.call('getMe', {}, { token: kept.body.accessToken })).status).toBe(200)
    // The list stays short: entries whose tokens have all expired are dropped at the next revocation.
    const userId = login.body.user.id
    const [entry] = (await User.findById(userId).lean())!.revokedFamilies
    const family = entry!.split('|')[0]
    await User.updateOne({ _id: userId }, { $set: { revokedFamilies: [`${family}|${Date.now() - 1000}`] } })
    await app.call('logout', { body: { refreshToken: kept.body.refreshToken } })
    const user = await User.findById(userId).lean()
    expect(user?.revokedFamilies.map((e) => e.split('|')[0])).toEqual([
      (jwt.decode(kept.body.accessToken) as { fam: string }).fam,
    ])
  })

  it('refresh-token reuse ends the access tokens of the family at once', async () => {
    const login = await app.call('devLogin', { body: { role: 'resident', handle: 'robbed' } })
    const next = await app.call('refreshToken', { body: { refreshToken: login.body.refreshToken } })
    expect((await app.call('getMe', {}, { token: next.body.accessToken })).status).toBe(200)
    await app.call('refreshToken', { body: { refreshToken: login.body.refreshToken } })
    for (const token of [login.body.accessToken, next.body.accessToken])
      expect((await app.call('getMe', {}, { token })).status).toBe(401)
  })

  it('checks every claim: object or malformed sub, no exp, wrong issuer or audience → 401', async () => {
    const token = await app.login('resident', { handle: 'claims' })
    const { sub } = jwt.decode(token) as { sub: string }
    const secret = app.config.JWT_SECRET
    const exp = Math.floor(Date.now() / 1000) + 600
    const base = { sub, fam: 'f1', iss: 'linli', aud: 'linli-api', exp }
    expect((await app.call('getMe', {}, { token: jwt.sign(base, secret) })).status).toBe(200)
    const bad: Record<string, unknown>[] = [
      { ...base, sub: { $ne: null } },
      { ...base, sub: 'not-an-id' },
      { ...base, sub: `${sub}0` },
      { ...base, exp: undefined },
      { ...base, iss: 'someone-else' },
      { ...base, aud: 'another-api' },
      { ...base, aud: undefined },
      { ...base, fam: undefined },
    ]
    for (const claims of bad) {
      const forged = jwt.sign(JSON.parse(JSON.stringify(claims)), secret)
      const res = await app.call('getMe', {}, { token: forged })
      expect([res.status, res.body.code], JSON.stringify(claims)).toEqual([401, 'TOKEN_INVALID'])
    }
  })
})

describe('dev login', () => {
  it('grants the role in its scope and validates the scope', async () => {
    const staff = await app.call('devLogin', {
      body: { role: 'staff', scopeId: app.demo.communityA.id, handle: 'dev-staff' },
    })
    expect(staff.body.user.roles).toEqual([
      { role: 'staff', scopeType: 'community', scopeId: app.demo.communityA.id, scopeName: '望平社区' },
    ])
    const wrongScope = await app.call('devLogin', {
      body: { role: 'staff', scopeId: app.demo.communityA.gridIds[0], handle: 'dev-staff2' },
    })
    expect([wrongScope.status, wrongScope.body.code]).toEqual([422, 'RULE_VIOLATED'])
  })

  it('tells each session the time zone of its community, the one grid and street roles reach', async () => {
    const street = await OrgUnit.create({ level: 'street', name: '天山街道' })
    const community = await OrgUnit.create({
      level: 'community',
      name: '天山社区',
      parentId: street._id,
      streetId: street._id,
      timezone: 'Asia/Urumqi',
    })
    const grid = await OrgUnit.create({
      level: 'grid',
      name: '天山一网格',
      parentId: community._id,
      streetId: street._id,
      communityId: community._id,
    })
    const login = (role: 'staff' | 'gridWorker' | 'streetStaff', scopeId: unknown, handle: string) =>
      app.call('devLogin', { body: { role, scopeId: String(scopeId), handle } })
    const staff = await login('staff', community._id, 'tz-staff')
    const worker = await login('gridWorker', grid._id, 'tz-worker')
    const streetStaff = await login('streetStaff', street._id, 'tz-street')
    expect([staff, worker, streetStaff].map((r) => r.body.user.timezone)).toEqual([
      'Asia/Urumqi',
      'Asia/Urumqi',
      'Asia/Urumqi',
    ])
    const me = await app.call('getMe', {}, { token: worker.body.accessToken })
    expect([me.body.timezone, me.body.communityId]).toEqual(['Asia/Urumqi', null])
    const newcomer = await app.call('devLogin', { body: { role: 'resident', handle: 'tz-newcomer' } })
    expect(newcomer.body.user.timezone).toBe('Asia/Shanghai')
  })

  it('lists the merchants and departments to sign in for by name', async () => {
    const scopes = await app.call('listDevScopes')
    expect(scopes.status).toBe(200)
    expect(scopes.body.merchants).toContainEqual({
      id: app.demo.merchantId,
      name: '望平烘焙坊',
      communityName: '望平社区',
    })
    expect(scopes.body.departments.length).toBeGreaterThan(0)
    const dept = scopes.body.departments[0]
    const signedIn = await app.call('devLogin', {
      body: { role: 'deptStaff', scopeId: dept.id, handle: 'dev-dept' },
    })
    expect(signedIn.body.user.roles[0]).toMatchObject({ role: 'deptStaff', scopeName: dept.name })
  })

  it('is refused when NODE_ENV=production', async () => {
    const prod = await startTestApp({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://unused',
      JWT_SECRET: 'a'.repeat(48),
      BALLOT_SECRET: 'b'.repeat(48),
      WECHAT_APPID: 'wx1234567890',
      WECHAT_SECRET: 'real-secret',
    })
    const res = await prod.call('devLogin', { body: { role: 'admin' } })
    expect([res.status, res.body.code]).toEqual([403, 'DEV_LOGIN_DISABLED'])
    const scopes = await prod.call('listDevScopes')
    expect([scopes.status, scopes.body.code]).toEqual([403, 'DEV_LOGIN_DISABLED'])
    const health = await prod.call('getHealth')
    expect(health.body.devLogin).toBe(false)
  })
})

describe('login rate limit', () => {
  it('throttles token requests per client', async () => {
    const limited = await startTestApp({ LOGIN_RATE_PER_MINUTE: '3' })
    const replies = []
    for (let i = 0; i < 4; i++) replies.push(await limited.call('devLogin', { body: { role: 'resident' } }))
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429])
    expect(replies[3]!.body.code).toBe('RATE_LIMITED')
    expect(replies[3]!.body.title).toMatch(/频繁/)
  })
})
