/**
 * Several BFF instances on one database, as behind a load balancer: four real processes on their
 * own ports share nothing but the database. Due sweeper work is done once, the login budget is one
 * budget, and throughput rises with instances.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { type NeedLevel, nextNeedLevel, zoneDate } from '@linli/shared-types'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { Need } from '../src/modules/needs/need.model'
import { startTestApp } from './harness'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const { communityA } = app.demo
const LOGIN_RATE = 20
const root = join(import.meta.dirname, '../..')

/** Starts one BFF process on a free port over the test's database, sweepers every second. */
function startInstance(): Promise<{ url: string; child: ChildProcess }> {
  const uri = new URL(inject('mongoUri'))
  uri.pathname = `/${app.dbName}`
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['bff/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: uri.toString(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WECHAT_API_BASE: inject('wechatUrl'),
      LOGIN_RATE_PER_MINUTE: String(LOGIN_RATE),
      SWEEPER_EVERY_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('instance did not start in 60 s')), 60_000)
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)))
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      let url: string | undefined
      try {
        url = (JSON.parse(line) as { url?: string }).url
      } catch {}
      if (!url) return
      clearTimeout(timer)
      resolve({ url, child })
    })
  })
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

// Due work waiting before any instance starts: needs past their acceptance deadline (each must
// rise one level, once).
const residents = await app.verifiedResidents(40, communityA.id, 'multi')
const cats = await app.call('listNeedCategories', {}, { token: residents[0]!.token })
const other = (cats.body.items as { id: string; key: string }[]).find((c) => c.key === 'other')!
const overdue: string[] = []
for (const r of residents.slice(0, 10)) {
  const res = await app.call(
    'createNeed',
    {
      body: {
        categoryId: other.id,
        title: '路灯不亮',
        description: '小区门口路灯不亮',
        ignoreDuplicates: true,
      },
    },
    { token: r.token },
  )
  overdue.push(res.body.id)
}
const levelBefore = new Map(
  (await Need.find({ _id: { $in: overdue } }).lean()).map((n) => [String(n._id), n.level as NeedLevel]),
)
const past = new Date(Date.now() - 60_000)
await Need.updateMany({ _id: { $in: overdue } }, { $set: { deadlineAt: past, queueAt: past } })
const instances = await Promise.all(Array.from({ length: 4 }, startInstance))
afterAll(() => Promise.all(instances.map((i) => stop(i.child))))

/**
 * Drives the hot reads at `urls` from 16 clients for `ms`; returns requests/s. Reads only: writes
 * are serialised per collection by the one database (the engine's proxy lock), so instances raise
 * what the BFF spends (reads) and leave write throughput to the database; on 2 cores a share of
 * writes in the mix made the figure noise.
 */
async function readLoad(urls: string[], ms: number): Promise<number> {
  const spaces = await app.call('listSpaces', {}, { token: residents[0]!.token })
  const spaceId = (spaces.body.items as { id: string }[])[0]!.id
  const today = zoneDate(new Date(), 'Asia/Shanghai')
  const paths = [
    '/api/v1/me',
    '/api/v1/spaces',
    `/api/v1/spaces/${spaceId}/availability?date=${today}&days=7`,
    '/api/v1/topics',
    '/api/v1/rewards',
    '/api/v1/me/points',
  ]
  let done = 0
  let failed = 0
  let n = 0
  const until = Date.now() + ms
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) {
        const i = n++
        const who = residents[30 + (i % 10)]!
        const url = urls[i % urls.length]!
        const res = await fetch(`${url}${paths[i % paths.length]}`, {
          headers: { authorization: `Bearer ${who.token}` },
        })
        await res.text()
        if (res.status >= 300) failed++
        done++
      }
    }),
  )
  expect(failed).toBe(0)
  return done / (ms / 1000)
}

describe('four BFF instances on one database', () => {
  it('throughput rises with instances', async () => {
    const one = await readLoad([instances[0]!.url], 5000)
    const four = await readLoad(
      instances.map((i) => i.url),
      5000,
    )
    console.log(
      `[instances] hot reads, 16 clients: 1 instance ${one.toFixed(1)} req/s, 4 instances ${four.toFixed(1)} req/s`,
    )
    expect(four).toBeGreaterThan(one)
  }, 60_000)

  it('each due sweeper item is handled once', async () => {
    // Every instance sweeps every second: wait until the work is done (the machine may be busy),
    // then a few more rounds of all four racing over the same items.
    const done = async () =>
      (await Need.countDocuments({ _id: { $in: overdue }, 'timeline.kind': 'escalated' })) === overdue.length
    for (let i = 0; i < 60 && !(await done()); i++) await new Promise((r) => setTimeout(r, 1000))
    await new Promise((r) => setTimeout(r, 3000))
    const needs = await Need.find({ _id: { $in: overdue } }).lean()
    for (const need of needs) {
      expect(need.level).toBe(nextNeedLevel(levelBefore.get(String(need._id))!))
      expect(need.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(1)
    }
  }, 120_000)

  it('the login rate limit is one budget across instances, not one per process', async () => {
    const replies = await Promise.all(
      Array.from({ length: 2 * LOGIN_RATE }, (_, i) =>
        fetch(`${instances[i % 4]!.url}/api/v1/auth/dev`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: 'resident', handle: `multi-${i}` }),
        }).then((r) => r.status),
      ),
    )
    const ok = replies.filter((s) => s === 200).length
    // Per process each of the four would have let all its ten through (40 in all).
    expect(ok).toBeGreaterThan(0)
    expect(ok).toBeLessThanOrEqual(LOGIN_RATE)
    expect(replies.filter((s) => s === 429).length).toBeGreaterThanOrEqual(LOGIN_RATE)
  }, 60_000)
})
