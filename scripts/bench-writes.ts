/**
 * `npm run bench:writes`: the four hot writes at 20 connections against the real engine, each
 * request by a different verified resident (one vote per household, one redemption per resident,
 * one booking per slot), with the database round trips one request of each costs and the CPU the
 * BFF and the engine spend per request, next to how busy the whole machine was. The load goes to a
 * compiled BFF in its own process, as in production; BENCH_PROFILE=<dir> writes its CPU profile.
 */
import { readFileSync } from 'node:fs'
import mongoose from 'mongoose'
import { Membership } from '../bff/src/modules/auth/membership.model'
import { signAccessToken } from '../bff/src/modules/auth/tokens'
import { User } from '../bff/src/modules/auth/user.model'
import { LedgerEntry, PointBalance } from '../bff/src/modules/points/points.model'
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { commandsOf } from '../bff/test/commands'
import { cpuNow, startBffProcess } from './bench-process'
import { startEngine } from './engine/index'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = 20
/** Residents per operation: more than the requests any run makes. */
const perOp = Number(process.env.BENCH_RESIDENTS ?? 1500)

const engine = await startEngine()
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  LOGIN_RATE_PER_MINUTE: '100000',
})
const dbName = `benchw_${Date.now()}`
const running = await startServer(config, {
  mongoUri: engine.uri,
  dbName,
  sweepers: false,
  monitorCommands: true,
})
const { demo } = await seedDemo()
const community = demo.communityA
const base = running.url

async function call<T = { id: string }>(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json().catch(() => null)) as T
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
  return json
}

async function devLogin(role: string, handle: string, scopeId?: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, handle, ...(scopeId ? { scopeId } : {}) }),
  })
  return ((await res.json()) as { accessToken: string }).accessToken
}

/** The machine's busy and total CPU ticks (all cores) from /proc/stat. */
function machineTicks() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
  const total = ticks.reduce((a, b) => a + b, 0)
  return { busy: total - ticks[3]! - ticks[4]!, total }
}
const machineBusy = (from: ReturnType<typeof machineTicks>) => {
  const to = machineTicks()
  return (to.busy - from.busy) / Math.max(1, to.total - from.total)
}

/** Verified residents, each its own household, written straight to the database. */
async function residents(prefix: string, n: number) {
  const users = await User.insertMany(
    Array.from({ length: n }, (_, i) => ({
      openid: `dev:${prefix}-${i}`,
      nickname: `${prefix}-${i}`,
      residency: {
        status: 'verified',
        communityId: community.id,
        gridId: community.gridIds[0],
        courtyardId: community.courtyardIds[0],
        buildingId: community.buildingIds[0],
        householdKey: `${community.buildingIds[0]}:1:${prefix}-${i}`,
      },
    })),
  )
  await Membership.insertMany(
    users.map((u) => ({
      userId: u._id,
      role: 'resident',
      scopeType: 'community',
      scopeId: community.id,
      scopeName: community.name,
    })),
  )
  return users.map((u) => ({ id: String(u._id), token: signAccessToken(config, String(u._id), 'bench') }))
}

const staff = await devLogin('staff', 'staff-wangping', community.id)
// A grid worker so a new need notifies its handler like in real life.
await devLogin('gridWorker', 'grid-bench', community.courtyardIds[0])

// castVote: one topic open for voting; electors are snapshotted when voting opens.
const voters = await residents('voter', perOp)
const topic = await call('POST', '/api/v1/topics', staff, {
  communityId: community.id,
  title: '楼道照明改造',
  description: '楼道灯经常坏，晚上回家很不安全。',
})
await call('POST', `/api/v1/topics/${topic.id}/screening`, staff, { decision: 'accept' })
const day = await call('POST', '/api/v1/deliberation-days', staff, {
  communityId: community.id,
  date: '2031-03-20',
  place: '社区议事厅',
})
await call('POST', `/api/v1/topics/${topic.id}/schedule`, staff, {
  dayId: day.id,
  // Closes by default when the day's meeting ends.
  voting: { opensAt: new Date(Date.now() + 60_000).toISOString() },
})
await call('POST', `/api/v1/topics/${topic.id}/voting/open`, staff)

// createBooking: one space open all day, half an hour per request (62 days hold 2,976 of them).
const bookers = await residents('booker', perOp)
const space = await call('POST', '/api/v1/spaces', staff, {
  communityId: community.id,
  name: '压测活动室',
  type: 'meetingRoom',
  location: '党群服务中心',
  capacity: 20,
  openingHours: Array.from({ length: 7 }, (_, weekday) => ({ weekday, open: '00:00', close: '24:00' })),
  minNoticeMinutes: 0,
  bookingWindowDays: 62,
  maxActiveBookings: 50,
  maxHoursPerWeek: 168,
  maxDurationMinutes: 240,
  slotMinutes: 30,
})
const firstHour = Math.ceil((Date.now() + 2 * 3_600_000) / 3_600_000) * 3_600_000

// redeemReward: plenty of stock, points for everyone.
const redeemers = await residents('redeemer', perOp)
await PointBalance.insertMany(
  redeemers.map((r) => ({ userId: r.id, account: 'community', communityId: community.id, balance: 100 })),
)
await LedgerEntry.insertMany(
  redeemers.map((r) => ({
    key: `bench:${r.id}`,
    userId: r.id,
    account: 'community',
    communityId: community.id,
    delta: 100,
    reason: '压测',
    refType: 'test',
    balanceAfter: 100,
    expiresAt: new Date(Date.now() + 365 * 86_400_000),
    nonce: 'bench',
  })),
)
const reward = await call('POST', '/api/v1/rewards', staff, {
  merchantId: demo.merchantId,
  title: '压测礼遇',
  description: '压测用',
  cost: 10,
  account: 'community',
  stock: 100_000,
  perResidentLimit: 1,
  validFrom: new Date(Date.now() - 60_000).toISOString(),
  validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  voucherDays: 7,
})

// createNeed
const reporters = await residents('reporter', perOp)
const categories = await call<{ items: { id: string; key: string }[] }>(
  'GET',
  '/api/v1/need-categories',
  reporters[0]!.token,
)
const other = categories.items.find((c) => c.key === 'other')!

interface Op {
  name: string
  people: { token: string }[]
  method: 'POST' | 'PUT'
  path: string
  body: (i: number) => unknown
}
const ops: Op[] = [
  {
    name: 'castVote',
    people: voters,
    method: 'PUT',
    path: `/api/v1/topics/${topic.id}/my-ballot`,
    body: () => ({ choice: 'yes' }),
  },
  {
    name: 'createBooking',
    people: bookers,
    method: 'POST',
    path: '/api/v1/bookings',
    body: (i) => ({
      spaceId: space.id,
      start: new Date(firstHour + i * 1_800_000).toISOString(),
      end: new Date(firstHour + (i + 1) * 1_800_000).toISOString(),
      purpose: '压测',
      attendees: 4,
      contactPhone: '13812345678',
    }),
  },
  {
    name: 'redeemReward',
    people: redeemers,
    method: 'POST',
    path: `/api/v1/rewards/${reward.id}/redeem`,
    body: () => undefined,
  },
  {
    name: 'createNeed',
    people: reporters,
    method: 'POST',
    path: '/api/v1/needs',
    body: (i) => ({
      categoryId: other.id,
      title: `压测反映${i}`,
      description: '楼道灯不亮了，晚上看不见路',
      ignoreDuplicates: true,
    }),
  },
]

console.log(
  `engine: ${engine.name}; ${seconds}s per write, ${connections} connections, a different resident per request`,
)
console.log(
  '| write | round trips | req/s | p50 ms | p99 ms | failed | BFF CPU ms/req | engine CPU ms/req | machine busy |',
)
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
// One request of each on its own, before any load, for its round trips (by the first resident;
// the load starts at the second).
const roundTrips = new Map<string, number>()
for (const op of ops) {
  const sent = await commandsOf(() =>
    fetch(`${base}${op.path}`, {
      method: op.method,
      headers: { authorization: `Bearer ${op.people[0]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(op.body(0) ?? {}),
    }).then((r) => r.text()),
  )
  roundTrips.set(op.name, sent.length)
  if (process.env.BENCH_TRACE)
    console.log(
      `${op.name}: ${sent.map((q) => `${q.command} ${q.collection} ${JSON.stringify(q.filters)}`).join('\n  ')}`,
    )
}
// The load goes to a second BFF over the same database, compiled and in its own process as in
// production, so the load generator does not share its event loop.
const dbUri = new URL(engine.uri)
dbUri.pathname = `/${dbName}`
const server = await startBffProcess(dbUri.toString())
for (const op of ops) {
  // `connections` clients, each sending its next request as soon as the last one answered.
  let next = 1
  const latencies: number[] = []
  let failed = 0
  const until = Date.now() + seconds * 1000
  const started = Date.now()
  const cpu = cpuNow(server.pid)
  const machine = machineTicks()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until && next < op.people.length) {
        const i = next++
        const body = op.body(i)
        const t = performance.now()
        const res = await fetch(`${server.url}${op.path}`, {
          method: op.method,
          headers: { authorization: `Bearer ${op.people[i]!.token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        await res.text()
        latencies.push(performance.now() - t)
        if (res.status >= 300) failed++
      }
    }),
  )
  const elapsed = (Date.now() - started) / 1000
  const used = cpuNow(server.pid)
  const busy = machineBusy(machine)
  if (next >= op.people.length) console.warn(`${op.name}: ran out of residents; raise BENCH_RESIDENTS`)
  latencies.sort((a, b) => a - b)
  const perRequest = (seconds: number) => Math.round((seconds * 1000) / Math.max(1, latencies.length))
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0)
  console.log(
    `| ${op.name} | ${roundTrips.get(op.name)} | ${Math.round((latencies.length / elapsed) * 10) / 10} | ${pct(0.5)} | ${pct(0.99)} | ${failed} | ${perRequest(used.bff - cpu.bff)} | ${perRequest(used.engine - cpu.engine)} | ${Math.round(busy * 100)} % |`,
  )
}

await server.stop()
await running.close()
await mongoose.disconnect().catch(() => {})
await engine.stop()
