import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OperationId } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../test/harness'
import { Space } from '../modules/booking/space.model'
import { Notification } from '../modules/notify/notification.model'
import { ResidencyClaim } from '../modules/residency/claim.model'

const h5 = mkdtempSync(join(tmpdir(), 'linli-h5-'))
mkdirSync(join(h5, 'js'))
writeFileSync(join(h5, 'index.html'), '<!doctype html><title>邻里</title>')
writeFileSync(join(h5, 'js', 'app.js'), 'void 0')

const app = await startTestApp({ H5_DIR: h5 })
const { communityA } = app.demo
const [resident] = await app.verifiedResidents(1, communityA.id)
const token = resident!.token
const admin = await app.login('admin', { handle: 'hygiene-admin' })

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const claim = {
  communityId: communityA.id,
  courtyardId: communityA.courtyardIds[0],
  buildingId: communityA.buildingIds[0],
  unit: '1',
  room: '101',
  realName: '王小明',
  phone: '13812345678',
}

/** A raw request over a socket, for what fetch refuses to send (huge headers). */
function rawRequest(text: string): Promise<string> {
  const url = new URL(app.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text))
    let reply = ''
    socket.on('data', (chunk) => {
      reply += chunk.toString()
    })
    socket.on('end', () => resolve(reply))
    socket.on('error', reject)
  })
}

/** Any method, including those fetch refuses (TRACE). */
function send(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Headers; body: any }>((resolve, reject) => {
    const req = request(`${app.url}${path}`, { method, headers }, (res) => {
      let text = ''
      res.on('data', (c) => {
        text += c
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: new Headers(res.headers as Record<string, string>),
          body: text ? JSON.parse(text) : undefined,
        }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

/** A valid claim whose `unit` is replaced by raw JSON. */
const withUnit = (json: string) => JSON.stringify(claim).replace('"unit":"1"', `"unit":${json}`)

const expectProblem = (res: { status: number; headers: Headers }, status: number) => {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
}

describe('request hygiene: clear refusals, nothing written', () => {
  it('refuses JSON nested deeper than 32 before any other work, however deep', async () => {
    for (const depth of [33, 5_000, 10_000]) {
      const started = performance.now()
      const res = await app.http<any>('post', '/api/v1/me/residency-claims', withUnit(nested(depth)), {
        token,
      })
      expectProblem(res, 400)
      expect(res.body.code).toBe('VALIDATION_FAILED')
      expect(res.body.detail).toContain('32')
      expect(performance.now() - started).toBeLessThan(500)
    }
    // Anonymous too: the depth check comes before authentication.
    const anon = await app.http<any>('post', '/api/v1/auth/dev-login', `{"role":${nested(10_000)}}`)
    expect([anon.status, anon.body.detail]).toEqual([400, expect.stringContaining('32')])
    // 32 levels are still parsed and then refused by the schema, as any wrong value.
    const ok = await app.http<any>('post', '/api/v1/me/residency-claims', withUnit(nested(31)), { token })
    expect(ok.status).toBe(400)
    expect(JSON.stringify(ok.body.errors)).toContain('unit')
    expect(await ResidencyClaim.countDocuments()).toBe(0)
  })

  it('answers 415 to a non-JSON body on a JSON operation, and changes nothing', async () => {
    await Notification.create(
      [1, 2].map((n) => ({
        userId: resident!.id,
        kind: 'test',
        title: `消息${n}`,
        dedupeKey: `hygiene:${n}`,
      })),
    )
    const read = await app.http<any>('post', '/api/v1/me/notifications/read', 'ids=all', {
      token,
      headers: { 'content-type': 'text/plain' },
    })
    expectProblem(read, 415)
    expect(read.body.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect(await Notification.countDocuments({ userId: resident!.id, readAt: null })).toBe(2)

    const space = await Space.findOne({ communityId: communityA.id }).lean()
    const patch = await app.http<any>(
      'patch',
      `/api/v1/spaces/${space!._id}`,
      JSON.stringify({ name: '改名' }),
      {
        token: admin,
        headers: { 'content-type': 'text/plain' },
      },
    )
    expectProblem(patch, 415)
    expect((await Space.findById(space!._id).lean())!.name).toBe(space!.name)
    const form = await app.http<any>('post', '/api/v1/me/residency-claims', 'unit=1&room=101', {
      token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expectProblem(form, 415)
    expect(await ResidencyClaim.countDocuments()).toBe(0)
  })

  it('answers 400 to a missing required body; an optional one may be left out', async () => {
    const res = await app.http<any>('post', '/api/v1/me/residency-claims', undefined, { token })
    expectProblem(res, 400)
    expect(res.body.detail).toBe('缺少请求体')
    expect(await ResidencyClaim.countDocuments()).toBe(0)
    const all = await app.http<any>('post', '/api/v1/me/notifications/read', undefined, { token })
    expect(all.status).toBe(200)
  })

  const bad = ['2026-02-30', '0000-00-00', '2301-73-75']
  const dated: [OperationId, (d: string) => Record<string, unknown>, string][] = [
    [
      'getNeedStats',
      (d) => ({ query: { scope: 'community', scopeId: communityA.id, from: d, to: d } }),
      'from',
    ],
    [
      'exportNeedStats',
      (d) => ({ query: { scope: 'community', scopeId: communityA.id, from: d, to: d } }),
      'to',
    ],
    ['getSpaceAvailability', (d) => ({ params: { id: communityA.id }, query: { date: d } }), 'date'],
    ['getSpaceSchedule', (d) => ({ params: { id: communityA.id }, query: { date: d } }), 'date'],
    ['submitVolunteerHours', (d) => ({ body: { activity: '清扫', date: d, hours: 2 } }), 'date'],
    ['listMerchantRedemptions', (d) => ({ query: { from: d } }), 'from'],
    ['getRedemptionReport', (d) => ({ query: { communityId: communityA.id, from: d, to: d } }), 'from'],
    [
      'createDeliberationDay',
      (d) => ({ body: { communityId: communityA.id, date: d, place: '议事厅' } }),
      'date',
    ],
  ]
  it.each(dated)('%s refuses impossible calendar dates with 400', async (id, input, field) => {
    for (const date of bad) {
      const res = await app.call(id, input(date), { token: id === 'submitVolunteerHours' ? token : admin })
      expectProblem(res, 400)
      expect(
        (res.body.errors as { path: string[] }[]).some((e) => e.path.includes(field)),
        `${id} ${date}`,
      ).toBe(true)
    }
  })

  it('answers undeclared methods with 405 problem+json and Allow', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'PATCH', 'DELETE']) {
      const res = await send(method, '/api/v1/me', { authorization: `Bearer ${token}` })
      expectProblem(res, 405)
      expect(res.body.code).toBe('METHOD_NOT_ALLOWED')
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    }
    const spaces = await send('PUT', `/api/v1/spaces/${communityA.id}`)
    expectProblem(spaces, 405)
    expect(spaces.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PATCH'])
    // The H5 files answer GET and HEAD only; unknown API paths stay 404.
    const page = await send('PROPFIND', '/index.html')
    expectProblem(page, 405)
    expect((await send('TRACE', '/api/v1/nope')).status).toBe(404)
    expect((await fetch(`${app.url}/index.html`)).status).toBe(200)
  })

  it('answers path traversal on static files with 404', async () => {
    for (const path of [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/js/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%E0%A4%A',
    ]) {
      const res = await fetch(`${app.url}${path}`)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    expect((await fetch(`${app.url}/js/app.js`)).status).toBe(200)
  })

  it('sends Retry-After with 429', async () => {
    const limited = await startTestApp({ LOGIN_RATE_PER_MINUTE: '1' }, { dbName: app.dbName })
    await limited.call('devLogin', { body: { role: 'resident', handle: 'retry-1' } })
    const res = await limited.call('devLogin', { body: { role: 'resident', handle: 'retry-2' } })
    expectProblem(res, 429)
    const seconds = Number(res.headers.get('retry-after'))
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThanOrEqual(60)
  })

  it('answers oversized headers and garbage request lines with problem+json', async () => {
    const big = await rawRequest(`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(big).toMatch(/^HTTP\/1\.1 431 /)
    expect(big).toContain('application/problem+json')
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)).code).toBe('HEADERS_TOO_LARGE')
    const garbage = await rawRequest('HELLO THERE\r\n\r\n')
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).code).toBe('VALIDATION_FAILED')
  })
})
