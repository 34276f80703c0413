/**
 * `npm run bench`: the hot reads on the demo data, through the BFF over HTTP and through the raw
 * driver sending the same queries, at 10 connections, against the real engine (`startEngine()`;
 * `LINLI_ENGINE=postgresql` for the embedded one). Prints p50/p95, req/s and the BFF/raw ratio of
 * mean latency, the load average, and the BFF's RSS at idle. The queries are captured on an
 * in-process BFF (driver monitoring); the BFF load goes to a compiled BFF in its own process, as
 * production runs it, so it does not share an event loop with the load generator.
 */
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { rssMb, startBffProcess } from './bench-process'
import { hotReads, loadAverage, measureReads, printReads } from './bench-reads'
import { startEngine } from './engine/index'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const engine = await startEngine()
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  LOGIN_RATE_PER_MINUTE: '100000',
})
const dbName = `bench_${Date.now()}`
const running = await startServer(config, {
  mongoUri: engine.uri,
  dbName,
  sweepers: false,
  monitorCommands: true,
})
try {
  const { demo } = await seedDemo()
  const login = async (role: string, handle: string, scopeId?: string) => {
    const res = await fetch(`${running.url}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, handle, ...(scopeId ? { scopeId } : {}) }),
    })
    return ((await res.json()) as { accessToken: string }).accessToken
  }
  const resident = await login('resident', 'resident-zhang')
  const staff = await login('staff', 'staff-wangping', demo.communityA.id)

  const dbUri = new URL(engine.uri)
  dbUri.pathname = `/${dbName}`
  const server = await startBffProcess(dbUri.toString(), { sweepers: false })
  await new Promise((r) => setTimeout(r, 1000))
  console.log(
    `engine: ${engine.name}${engine.backend ? ` over ${engine.backend}` : ''}; ` +
      `compiled BFF RSS at idle ${rssMb(server.pid)} MB; ` +
      `${seconds} s per read and path, ${connections} connections; load average ${await loadAverage()}`,
  )
  const reads = await hotReads(running.url, { resident, staff, communityId: demo.communityA.id })
  const rows = await measureReads(running.url, engine.uri, reads, {
    connections,
    seconds,
    loadBase: server.url,
    loadPid: server.pid,
  }).finally(server.stop)
  printReads(rows)
  console.log(`load average after: ${await loadAverage()}`)
} finally {
  await running.close()
  await engine.stop()
}
