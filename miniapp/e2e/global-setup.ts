import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../../bff/src/platform/config'
import { type Demo, seedDemo } from '../../bff/src/seed/demo'
import { startServer } from '../../bff/src/server'
import { startEngine } from '../../scripts/engine/index'
import { repoRoot } from '../../scripts/engine/paths'
import { startMockWechat } from '../../scripts/mock-wechat'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    demo: Demo
    /** The engine behind the BFF (database `e2e`), for specs that move the clock of a record. */
    mongoUri: string
  }
}

/** The real BFF serving the H5 build, over a fresh database seeded with the demo street. */
export default async function setup(project: TestProject) {
  const h5Dir = join(repoRoot, 'miniapp', 'dist', 'h5')
  if (!existsSync(join(h5Dir, 'index.html')))
    throw new Error('No H5 build: run `npm run build:h5 -w miniapp` first')
  const engine = await startEngine()
  const wechat = await startMockWechat()
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    H5_DIR: h5Dir,
    WECHAT_API_BASE: wechat.url,
    LOGIN_RATE_PER_MINUTE: '1000',
  })
  const running = await startServer(config, { mongoUri: engine.uri, dbName: 'e2e', sweepers: false })
  const { demo } = await seedDemo()
  project.provide('baseUrl', running.url)
  project.provide('demo', demo)
  project.provide('mongoUri', engine.uri)
  return async () => {
    await running.close()
    await wechat.stop()
    await engine.stop()
  }
}
