import type { AddressInfo } from 'node:net'
import Router from '@koa/router'
import { operations, PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import Koa from 'koa'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../test/harness'
import { ResidencyClaim } from '../modules/residency/claim.model'
import { mounter } from './http/operation'
import { problems } from './http/problem'

const app = await startTestApp()

describe('health, docs and problems', () => {
  it('reports the database engine and version', async () => {
    const res = await app.call('getHealth')
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('ok')
    expect(res.body.db.ok).toBe(true)
    expect(['mongodb', 'ferretdb']).toContain(res.body.db.engine)
    expect(res.body.db.version).toMatch(/^v?\d+\.\d+/)
    expect(res.headers.get('x-trace-id')).toBeTruthy()
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves OpenAPI 3.1 with every operationId, and a docs page', async () => {
    const spec = await app.http<any>('get', '/openapi.json')
    expect(spec.body.openapi).toBe('3.1.0')
    const ids = Object.values(
      spec.body.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((methods) => Object.values(methods).map((m) => m.operationId))
    expect(ids.sort()).toEqual(Object.keys(operations).sort())
    const docs = await fetch(`${app.url}/docs`)
    expect(docs.headers.get('content-type')).toContain('text/html')
    expect(await docs.text()).toContain('submitResidencyClaim')
  })

  it('answers a reply unlike its own schema as the server’s fault (500), not the caller’s', async () => {
    const koa = new Koa()
    const router = new Router()
    koa.use(problems)
    mounter(router, app.deps)('getHealth', async () => ({ status: 'ok' }) as never)
    koa.use(router.routes())
    const server = koa.listen(0)
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`)
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([500, 'INTERNAL'])
    } finally {
      server.close()
    }
  })

  it('answers unknown routes with a problem', async () => {
    const res = await app.http<any>('get', '/api/v1/nope')
    expect([res.status, res.body.code]).toEqual([404, 'ROUTE_NOT_FOUND'])
  })

  it('answers CORS preflight only for configured origins', async () => {
    const ok = await fetch(`${app.url}/api/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'GET' },
    })
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:10086')
    const evil = await fetch(`${app.url}/api/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('strict validation writes nothing', async () => {
  const token = await app.login('resident', { handle: 'validator' })
  const { communityA } = app.demo
  const valid = {
    communityId: communityA.id,
    courtyardId: communityA.courtyardIds[0],
    buildingId: communityA.buildingIds[0],
    unit: '1',
    room: '101',
    realName: '王小明',
    phone: '13812345678',
    consentVersion: PRIVACY_NOTICE_VERSION,
  }
  const cases: [string, unknown, string][] = [
    ['wrong type', { ...valid, unit: 1 }, 'unit'],
    ['unknown field', { ...valid, isAdmin: true }, ''],
    ['over-long string', { ...valid, realName: '王'.repeat(21) }, 'realName'],
    ['operator injection', { ...valid, phone: { $gt: '' } }, 'phone'],
    ['operator in an id', { ...valid, communityId: { $ne: null } }, 'communityId'],
    ['bad phone', { ...valid, phone: '12345' }, 'phone'],
  ]

  it.each(cases)('%s → 400 problem with a code', async (_, body, path) => {
    const res = await app.call('submitResidencyClaim', { body: body as object }, { token })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(res.body.code).toBe('VALIDATION_FAILED')
    expect(res.body.title).toMatch(/[\u4e00-\u9fa5]/)
    if (path) expect(JSON.stringify(res.body.errors)).toContain(path)
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|stack/i)
    expect(await ResidencyClaim.countDocuments()).toBe(0)
  })

  it('malformed JSON and operator query keys → 400', async () => {
    const res = await app.http<any>('post', '/api/v1/me/residency-claims', '{"unit":', { token })
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED'])
    const staff = await app.login('staff', { scopeId: communityA.id, handle: 'validator-staff' })
    const q = await app.http<any>('get', '/api/v1/residency-claims?status[$ne]=x', undefined, {
      token: staff,
    })
    expect(q.status).toBe(400)
    expect(await ResidencyClaim.countDocuments()).toBe(0)
  })
})
