import { type OperationDef, operations, text } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { buildOpenApi } from './openapi'

type Json = Record<string, any>
const spec = buildOpenApi('test') as Json
const ops: [string, string, Json][] = Object.entries(spec.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, op]): [string, string, Json] => [
    `${method} ${path}`,
    method,
    op,
  ]),
)
const params = (op: Json): Json[] => op.parameters ?? []

/** The server's rules the document must carry (issue 9 §7: the contract says what the server enforces). */
describe('the OpenAPI document states what the server enforces', () => {
  it('declares every operation once', () => {
    expect(ops).toHaveLength(Object.keys(operations).length)
  })

  it('gives every page cursor the pattern the server reads', () => {
    const cursors = ops.flatMap(([, , op]) => params(op).filter((p) => p.name === 'cursor'))
    expect(cursors.length).toBeGreaterThan(20)
    for (const c of cursors) expect(c.schema.pattern).toMatch(/_\[0-9a-f\]\{24\}\$$/)
  })

  it('gives the Idempotency-Key header its pattern', () => {
    const keys = ops.flatMap(([, , op]) => params(op).filter((p) => p.name === 'Idempotency-Key'))
    expect(keys.length).toBeGreaterThan(10)
    for (const k of keys) expect(k.schema.pattern).toBe('^[A-Za-z0-9_-]{8,128}$')
  })

  it('lists boolean query flags as exactly true or false (no empty value)', () => {
    const flags = ops.flatMap(([, , op]) =>
      params(op).filter((p) =>
        ['mine', 'upcoming', 'includeInactive', 'unreadOnly', 'volunteer'].includes(p.name),
      ),
    )
    expect(flags.length).toBe(5)
    for (const f of flags) expect(f.schema.enum).toEqual(['true', 'false'])
  })

  it('refuses blank required text in the document as the server does', () => {
    const blank = /^(?:\s|\u3000|\u00a0|\ufeff)+$/
    const pattern = new RegExp(text(10).toJSONSchema().pattern as string)
    for (const v of [' ', '\u3000\u3000', '\t\n', '\ufeff']) {
      expect(blank.test(v)).toBe(true)
      expect(pattern.test(v)).toBe(false)
      expect(text(10).safeParse(v).success).toBe(false)
    }
    expect(pattern.test(' 好 ')).toBe(true)
  })

  it('requires scopeId at dev login for every role held in a scope', () => {
    const body = spec.paths['/api/v1/auth/dev'].post.requestBody.content['application/json'].schema
    const variants = (body.oneOf ?? body.anyOf) as Json[]
    const scoped = variants.find((v) => !v.properties.role.enum.includes('resident'))!
    expect(scoped.required).toContain('scopeId')
    expect(scoped.properties.role.enum).toEqual(
      expect.arrayContaining(['staff', 'gridWorker', 'streetStaff', 'deptStaff', 'merchant']),
    )
  })

  it('gives Open311 id lists and opening hours their patterns', () => {
    const list = params(spec.paths['/open311/v2/requests.json'].get)
    for (const name of ['service_request_id', 'service_code'])
      expect(list.find((p) => p.name === name)?.schema.pattern).toBe('^[0-9a-f]{24}(,[0-9a-f]{24})*$')
    const space = spec.paths['/api/v1/spaces'].post.requestBody.content['application/json'].schema
    const hours = space.properties.openingHours.items.properties
    expect(new RegExp(hours.open.pattern).test('24:00')).toBe(true)
    expect(new RegExp(hours.open.pattern).test('9:00')).toBe(false)
  })

  it('requires a body exactly where the server does, and free strings carry no NUL', () => {
    for (const [id, def] of Object.entries(operations) as [string, OperationDef][]) {
      if (!def.body) continue
      const op = spec.paths[def.path.replace(/:([A-Za-z]+)/g, '{$1}')][def.method]
      expect(op.requestBody.required, id).toBe(!def.body.safeParse({}).success)
    }
    const comment =
      spec.paths['/api/v1/topics/{id}/comments'].post.requestBody.content['application/json'].schema
    expect(comment.properties.body.not).toEqual({ pattern: '\\u0000' })
  })
})
