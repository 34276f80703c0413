import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import mongoose from 'mongoose'
import { createApp } from './app'
import { startSweepers } from './jobs/sweepers'
import { createWechatClient } from './modules/auth/wechat.client'
import { type Config, loadConfig } from './platform/config'
import { connectDb } from './platform/db'
import type { AppDeps } from './platform/deps'
import { problemsForClientErrors } from './platform/http/hygiene'
import { createLogger, type Logger } from './platform/logger'

export interface RunningServer {
  url: string
  server: Server
  deps: AppDeps
  log: Logger
  close(): Promise<void>
}

/** Connects the database and listens. The caller owns shutdown (see `main` below). */
export async function startServer(
  config: Config,
  opts: { mongoUri?: string; dbName?: string; sweepers?: boolean; monitorCommands?: boolean } = {},
) {
  const log = createLogger(config.LOG_LEVEL)
  const uri = opts.mongoUri ?? config.MONGODB_URI
  if (!uri) throw new Error('MONGODB_URI is not set (npm start provides an embedded engine)')
  const db = await connectDb(uri, opts.dbName, opts.monitorCommands)
  log.info({ engine: db.engine, version: db.version }, 'database connected')
  const wechat = createWechatClient({
    baseUrl: config.WECHAT_API_BASE,
    appid: config.WECHAT_APPID,
    secret: config.WECHAT_SECRET,
  })
  const deps = { config, log, wechat, db, startedAt: new Date() }
  const app = createApp(deps)
  // Tests run sweepers by hand, at the moments they choose.
  const stopSweepers = opts.sweepers === false ? () => {} : startSweepers(deps)
  const server = app.listen(config.PORT, config.HOST)
  problemsForClientErrors(server)
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
  const { port } = server.address() as AddressInfo
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST
  return {
    url: `http://${host}:${port}`,
    server,
    deps,
    log,
    async close() {
      // Stop taking connections, let in-flight requests finish, then release the database.
      stopSweepers()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await mongoose.disconnect()
    },
  } satisfies RunningServer
}

/** Ends the process cleanly on SIGTERM/SIGINT, forcing exit if shutdown hangs. */
export function closeOnSignals(close: () => Promise<void>, log: Logger): void {
  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    setTimeout(() => process.exit(1), 10_000).unref()
    await close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startServer(loadConfig())
  running.log.info({ url: running.url }, 'linli bff listening')
  closeOnSignals(running.close, running.log)
}
