/**
 * Shared by `npm run bench` and `npm run bench:scale`: the hot reads, measured through the real BFF
 * over HTTP (autocannon in a worker thread, so the load generator never shares the BFF's event loop)
 * and through the raw driver doing exactly the queries the BFF sent for one such request (captured
 * with the driver's command monitoring and replayed in the same order, concurrent where the BFF's
 * were), each at the same number of connections. BENCH_READS (comma-separated names, e.g.
 * `listTopics,getTopic`) measures only those reads.
 */
import { createRequire } from 'node:module'
import autocannon from 'autocannon'
import { Long, MongoClient } from 'mongodb'
import mongoose, { type mongo } from 'mongoose'
import { cpuNow } from './bench-process'

// autocannon reports p50/p90/p97.5/p99 from its HDR histogram; the list it reads them from is a
// plain array of the module it aggregates with, so p95 is added to it (aggregation runs here).
const percentiles = createRequire(createRequire(import.meta.url).resolve('autocannon'))(
  'hdr-histogram-percentiles-obj',
).percentiles as number[]
if (!percentiles.includes(95)) percentiles.push(95)

export interface Read {
  name: string
  path: string
  token: string
}

export interface Figures {
  p50: number
  p95: number
  rps: number
  errors: number
}

export interface ReadRow {
  name: string
  bff: Figures
  raw: Figures
  /** Queries the BFF sent for one request. */
  queries: number
  /** Mean latency through the BFF over mean latency of the raw queries (at equal connections). */
  ratio: number
  /** CPU milliseconds the BFF process spent per request (0 when the load went to this process). */
  bffCpuMs: number
}

/** Commands a handler did not choose: handshakes, heartbeats, cursor paging. */
const ignored = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'endSessions',
  'getMore',
  'killCursors',
])
/** What the driver adds to each command itself. */
const driverFields = [
  'lsid',
  '$clusterTime',
  '$db',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$readPreference',
]

interface Captured {
  db: string
  command: Record<string, unknown>
  started: number
  ended: number
}

/** The commands one GET sent, grouped in waves: the commands of a wave were in flight together. */
async function captureRequest(base: string, read: Read): Promise<{ waves: Captured[][]; status: number }> {
  const client = mongoose.connection.getClient()
  const list: Captured[] = []
  const pending = new Map<number, Captured>()
  const started = (e: mongo.CommandStartedEvent) => {
    if (ignored.has(e.commandName)) return
    const command = { ...(e.command as Record<string, unknown>) }
    for (const f of driverFields) delete command[f]
    const c: Captured = { db: e.databaseName, command, started: performance.now(), ended: Infinity }
    list.push(c)
    pending.set(e.requestId, c)
  }
  const done = (e: mongo.CommandSucceededEvent | mongo.CommandFailedEvent) => {
    const c = pending.get(e.requestId)
    if (c) c.ended = performance.now()
    pending.delete(e.requestId)
  }
  client.on('commandStarted', started)
  client.on('commandSucceeded', done)
  client.on('commandFailed', done)
  let status = 0
  try {
    const res = await fetch(`${base}${read.path}`, { headers: { authorization: `Bearer ${read.token}` } })
    status = res.status
    await res.text()
  } finally {
    client.off('commandStarted', started)
    client.off('commandSucceeded', done)
    client.off('commandFailed', done)
  }
  const waves: Captured[][] = []
  for (const c of list) {
    const wave = waves.at(-1)
    // Joins the current wave when it started before any command of that wave had answered.
    if (wave?.every((w) => w.ended > c.started)) wave.push(c)
    else waves.push([c])
  }
  return { waves, status }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

const round = (n: number) => Math.round(n * 10) / 10

/** Sends one captured command, then pages its cursor to the end as the BFF's driver did. */
async function replay(client: MongoClient, c: Captured): Promise<void> {
  const db = client.db(c.db)
  const reply = await db.command(c.command as mongo.Document)
  let cursor = reply.cursor as { id: unknown; ns: string } | undefined
  while (cursor && String(cursor.id) !== '0') {
    const more = await db.command({
      getMore: Long.fromString(String(cursor.id)),
      collection: cursor.ns.slice(c.db.length + 1),
    })
    cursor = more.cursor
  }
}

async function loadRaw(
  client: MongoClient,
  waves: Captured[][],
  connections: number,
  seconds: number,
): Promise<Figures & { mean: number }> {
  const latencies: number[] = []
  let errors = 0
  const until = Date.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const t = performance.now()
        try {
          for (const wave of waves) await Promise.all(wave.map((c) => replay(client, c)))
        } catch (error) {
          if (!errors++) console.warn(`raw replay failed: ${(error as Error).message}`)
        }
        latencies.push(performance.now() - t)
      }
    }),
  )
  const elapsed = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  return {
    p50: round(percentile(latencies, 0.5)),
    p95: round(percentile(latencies, 0.95)),
    rps: round(latencies.length / elapsed),
    errors,
    mean: latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length),
  }
}

async function loadBff(
  base: string,
  read: Read,
  connections: number,
  seconds: number,
): Promise<Figures & { mean: number; total: number }> {
  const result = await autocannon({
    url: `${base}${read.path}`,
    connections,
    duration: seconds,
    workers: 1,
    headers: { authorization: `Bearer ${read.token}` },
  })
  const latency = result.latency as unknown as Record<string, number>
  return {
    p50: latency.p50 ?? 0,
    p95: latency.p95 ?? 0,
    rps: round(result.requests.average),
    errors: result.errors + result.non2xx + result.timeouts,
    mean: result.latency.average,
    total: result.requests.total,
  }
}

/** Measures each read through the BFF and through the raw driver. */
export async function measureReads(
  base: string,
  mongoUri: string,
  reads: Read[],
  opts: {
    connections?: number
    seconds?: number
    explain?: boolean
    log?: (line: string) => void
    /** Where the BFF side's load goes (a compiled BFF in its own process); `base` by default. */
    loadBase?: string
    /** That process, whose CPU time per request is reported. */
    loadPid?: number
  } = {},
): Promise<ReadRow[]> {
  const connections = opts.connections ?? 10
  const seconds = opts.seconds ?? 5
  // Monitoring on, as on the BFF's client (the capture needs it there), so both pay for its events.
  const client = await MongoClient.connect(mongoUri, { maxPoolSize: connections * 4, monitorCommands: true })
  const rows: ReadRow[] = []
  try {
    for (const read of reads) {
      // Let the requests of the last load finish, so the capture sees only this one's queries.
      await new Promise((r) => setTimeout(r, 1500))
      await fetch(`${base}${read.path}`, { headers: { authorization: `Bearer ${read.token}` } }).then((r) =>
        r.text(),
      )
      const { waves, status } = await captureRequest(base, read)
      if (status >= 300) throw new Error(`${read.name}: GET ${read.path} answered ${status}`)
      // Warm both paths (caches, pools, the JIT) before measuring.
      await loadRaw(client, waves, connections, 1)
      await loadBff(opts.loadBase ?? base, read, connections, 1)
      if (opts.explain) {
        // Each query on its own, unloaded: where a slow read spends its time.
        const each: string[] = []
        for (const c of waves.flat()) {
          const t = performance.now()
          await replay(client, c)
          const name = Object.keys(c.command)[0]!
          each.push(`${name} ${String(c.command[name])} ${Math.round(performance.now() - t)} ms`)
        }
        opts.log?.(`  ${read.name}: ${each.join(', ')}`)
      }
      const raw = await loadRaw(client, waves, connections, seconds)
      const cpu = opts.loadPid ? cpuNow(opts.loadPid).bff : 0
      const bff = await loadBff(opts.loadBase ?? base, read, connections, seconds)
      const bffCpu = opts.loadPid ? cpuNow(opts.loadPid).bff - cpu : 0
      const row: ReadRow = {
        name: read.name,
        bff,
        raw,
        queries: waves.flat().length,
        ratio: Math.round((bff.mean / Math.max(0.001, raw.mean)) * 100) / 100,
        bffCpuMs: round((bffCpu * 1000) / Math.max(1, bff.total)),
      }
      opts.log?.(
        `  ${read.name}: BFF p50 ${bff.p50} p95 ${bff.p95} ms, raw p50 ${raw.p50} p95 ${raw.p95} ms (×${row.ratio})` +
          (opts.loadPid ? `, BFF CPU ${row.bffCpuMs} ms per request` : ''),
      )
      rows.push(row)
    }
  } finally {
    await client.close()
  }
  return rows
}

/** One-line load figure to print next to every measurement. */
export async function loadAverage(): Promise<string> {
  const { loadavg } = await import('node:os')
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')
}

/** Today's local date in Asia/Shanghai (the demo communities' zone). */
export const localDate = (at = Date.now()) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10)

/**
 * The hot reads of one community: a verified resident's (me, spaces, a week of a space's slots,
 * topics, a topic, rewards, points, point entries) and its staff's (needs queue, 30-day stats).
 * Without `spaceId`/`topicId`, the first the lists give.
 */
export async function hotReads(
  base: string,
  who: { resident: string; staff: string; communityId: string; spaceId?: string; topicId?: string },
): Promise<Read[]> {
  const get = async <T>(path: string, token: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })
    if (res.status >= 300) throw new Error(`GET ${path} → ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const { resident, staff, communityId } = who
  const spaceId =
    who.spaceId ?? (await get<{ items: { id: string }[] }>('/api/v1/spaces', resident)).items[0]?.id
  const topicId =
    who.topicId ?? (await get<{ items: { id: string }[] }>('/api/v1/topics', resident)).items[0]?.id
  if (!spaceId || !topicId) throw new Error('the community has no space or no topic')
  const today = localDate()
  const monthAgo = localDate(Date.now() - 29 * 86_400_000)
  const only = process.env.BENCH_READS?.split(',').map((n) => n.trim())
  const reads: Read[] = [
    { name: 'getMe', path: '/api/v1/me', token: resident },
    { name: 'listSpaces', path: '/api/v1/spaces', token: resident },
    {
      name: 'getSpaceAvailability (7 days)',
      path: `/api/v1/spaces/${spaceId}/availability?date=${today}&days=7`,
      token: resident,
    },
    { name: 'listTopics', path: '/api/v1/topics', token: resident },
    { name: 'getTopic', path: `/api/v1/topics/${topicId}`, token: resident },
    { name: 'listRewards', path: '/api/v1/rewards', token: resident },
    { name: 'getMyPoints', path: '/api/v1/me/points', token: resident },
    { name: 'listMyPointEntries', path: '/api/v1/me/points/entries', token: resident },
    { name: 'listNeedsForHandling', path: '/api/v1/needs-queue', token: staff },
    {
      name: 'getNeedStats (30 days)',
      path: `/api/v1/need-stats?scope=community&scopeId=${communityId}&from=${monthAgo}&to=${today}`,
      token: staff,
    },
  ]
  return only ? reads.filter((r) => only.includes(r.name)) : reads
}

/** The reads as a Markdown table. */
export function printReads(rows: ReadRow[]) {
  console.log(
    '| read | queries | BFF p50 ms | BFF p95 ms | BFF req/s | raw p50 ms | raw p95 ms | raw req/s | BFF/raw | BFF CPU ms/req | errors |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.queries} | ${r.bff.p50} | ${r.bff.p95} | ${r.bff.rps} | ${r.raw.p50} | ${r.raw.p95} | ${r.raw.rps} | ${r.ratio}× | ${r.bffCpuMs} | ${r.bff.errors + r.raw.errors} |`,
    )
}
