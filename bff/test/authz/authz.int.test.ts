import { buildPath, type OperationDef, type OperationId, operations, type Role } from '@linli/shared-types'
import { beforeAll, describe, expect, it } from 'vitest'
import { startTestApp } from '../harness'
import { type Matrix, SECRET, seedMatrix } from './fixtures'
import { type Outcome, type RoleName, type Row, roleNames, type Side, sides } from './matrix'
import { rows } from './rows'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
let matrix: Matrix
beforeAll(async () => {
  matrix = await seedMatrix(app)
}, 120_000)

/** The roles each matrix role holds, to tell a role check (403) from an invisible record (404). */
const held: Record<RoleName, readonly Role[]> = {
  anon: [],
  newcomer: [],
  resident: ['resident'],
  staff: ['staff'],
  grid: ['gridWorker'],
  merchant: ['merchant'],
  street: ['streetStaff'],
}

export function expected(row: Row, def: OperationDef, role: RoleName, side: Side): Outcome {
  const given = row.expect[role]
  if (given !== undefined) return typeof given === 'object' ? given[side === 'own' ? 0 : 1] : given
  if (role === 'anon') return 401
  if (Array.isArray(def.access) && !def.access.some((r: Role) => held[role].includes(r))) return 403
  return 404
}

/** All 14 cells of a row at once; rows one after another, so one row's writes never race another's. */
const CONCURRENCY = 14

describe('authorization matrix', () => {
  it('has exactly one row per operation', () => {
    expect(Object.keys(rows).sort()).toEqual(Object.keys(operations).sort())
  })

  it('answers every cell as the policy says, and never with a foreign record', async () => {
    const failures: string[] = []
    const ids = Object.keys(operations) as OperationId[]
    let cells = 0
    const started = Date.now()
    for (const id of ids) {
      const row = (rows as Partial<Record<OperationId, Row>>)[id]
      if (!row) {
        failures.push(`${id}: no row in the authorization matrix (bff/test/authz/rows)`)
        continue
      }
      const def: OperationDef = operations[id]
      const jobs = roleNames.flatMap((role) => sides.map((side) => ({ role, side })))
      for (let i = 0; i < jobs.length; i += CONCURRENCY)
        await Promise.all(
          jobs.slice(i, i + CONCURRENCY).map(async ({ role, side }) => {
            cells++
            const want = expected(row, def, role, side)
            // A cell expected to be refused acts on the shared records (a refusal changes nothing).
            const allowed = want === 'ok' || want === 'pass'
            const input = await row.req(allowed ? matrix.fx : matrix.shared, side, role)
            const qs = input.query ? `?${new URLSearchParams(input.query)}` : ''
            const token = role === 'anon' ? undefined : matrix.tokens[role]
            const res = await fetch(`${app.url}${buildPath(def.path, input.params)}${qs}`, {
              method: def.method.toUpperCase(),
              headers: {
                ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
                ...(token ? { authorization: `Bearer ${token}` } : {}),
                ...input.headers,
              },
              body: input.body === undefined ? undefined : JSON.stringify(input.body),
            })
            const text = await res.text()
            const cell = `${id} as ${role} on ${side === 'own' ? 'A' : 'B'}`
            const ok =
              want === 'ok'
                ? res.status === (def.status ?? 200)
                : want === 'pass'
                  ? ![401, 403, 404].includes(res.status) && res.status < 500
                  : res.status === want
            if (!ok) failures.push(`${cell}: expected ${want}, got ${res.status} ${text.slice(0, 160)}`)
            if (role === 'street') return
            const shown = new Set(row.shows ?? [])
            const leaked = matrix.markers.filter((m) => !shown.has(m.kind) && text.includes(m.value))
            if (!shown.size && text.includes(SECRET)) leaked.push({ kind: 'resident', value: SECRET })
            if (leaked.length)
              failures.push(
                `${cell}: reply shows B's ${leaked.map((m) => `${m.kind} ${m.value}`).join(', ')}`,
              )
          }),
        )
    }
    console.log(
      `authorization matrix: ${cells} cells (${ids.length} operations × ${roleNames.length} roles × 2 communities) in ${Date.now() - started} ms`,
    )
    expect(failures).toEqual([])
  }, 300_000)
})
