/**
 * `npm run bench`: load figures for the BFF on this machine, against the real engine.
 * Starts an engine, the BFF (sweepers off) on a free port, signs a demo resident in, and runs
 * autocannon on a few hot read paths. Prints requests/s and latency percentiles, and RSS at idle.
 */
import autocannon from 'autocannon'
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { startEngine } from './engine/index'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const engine = await startEngine()
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  LOGIN_RATE_PER_MINUTE: '100000',
})
const running = await startServer(config, {
  mongoUri: engine.uri,
  dbName: `bench_${Date.now()}`,
  sweepers: false,
})
await seedDemo()

const login = await fetch(`${running.url}/api/v1/auth/dev`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ role: 'resident', handle: 'resident-zhang' }),
})
const { accessToken } = (await login.json()) as { accessToken: string }

await new Promise((r) => setTimeout(r, 2000))
global.gc?.()
const idleMb = Math.round(process.memoryUsage().rss / 1024 / 1024)

const auth = { authorization: `Bearer ${accessToken}` }
const spaces = (await (await fetch(`${running.url}/api/v1/spaces`, { headers: auth })).json()) as {
  items: { id: string }[]
}
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)

const targets: { name: string; path: string; auth?: boolean }[] = [
  { name: 'getHealth', path: '/healthz' },
  { name: 'listCommunities', path: '/api/v1/communities' },
  { name: 'getMe (JWT + actor load)', path: '/api/v1/me', auth: true },
  { name: 'listSpaces', path: '/api/v1/spaces', auth: true },
  {
    name: 'getSpaceAvailability (7-day week grid)',
    path: `/api/v1/spaces/${spaces.items[0]?.id}/availability?date=${today}&days=7`,
    auth: true,
  },
  { name: 'getMyPoints', path: '/api/v1/me/points', auth: true },
]

console.log(
  `engine: ${engine.name}; BFF+engine client RSS at idle: ${idleMb} MB; ${seconds}s per target, 20 connections`,
)
console.log('| operation | req/s | p50 ms | p99 ms | errors |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const t of targets) {
  const result = await autocannon({
    url: `${running.url}${t.path}`,
    connections: 20,
    duration: seconds,
    headers: t.auth ? auth : {},
  })
  const errors = result.errors + result.non2xx
  console.log(
    `| ${t.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${errors} |`,
  )
}

await running.close()
await engine.stop()
