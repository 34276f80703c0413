/**
 * `npm start`: builds the H5 app if missing, starts the database engine (embedded unless MONGODB_URI,
 * data under DATA_DIR), the mock WeChat server in development, seeds the demo street once, and serves
 * the BFF with the H5 build on PORT.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { closeOnSignals, startServer } from '../bff/src/server'
import { startEngine } from './engine/index'
import { repoRoot } from './engine/paths'
import { startMockWechat } from './mock-wechat'

const dataDir = process.env.DATA_DIR ?? join(repoRoot, '.data')
const h5Dir = process.env.H5_DIR ?? join(repoRoot, 'miniapp', 'dist', 'h5')
mkdirSync(dataDir, { recursive: true })

if (!existsSync(join(h5Dir, 'index.html'))) {
  console.log('[start] building the H5 app (first start only)…')
  const build = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], { cwd: repoRoot, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const engine = await startEngine({ dataDir })
const production = process.env.NODE_ENV === 'production'
const wechat = production || process.env.WECHAT_API_BASE ? null : await startMockWechat()
const config = loadConfig({
  ...process.env,
  H5_DIR: h5Dir,
  ...(wechat ? { WECHAT_API_BASE: wechat.url } : {}),
})
const running = await startServer(config, {
  mongoUri: engine.uri,
  ...(engine.name === 'external' ? {} : { dbName: 'linli' }),
})
const { created, demo } = await seedDemo()

console.log(`
邻里 Linli is running at ${running.url}   (API docs: ${running.url}/docs)
database: ${engine.name}${engine.name === 'external' ? '' : ` (data in ${dataDir})`}; demo data ${created ? 'seeded now' : 'already present'}
${
  config.NODE_ENV === 'production'
    ? ''
    : `Demo accounts (H5 → 登录 → 开发登录, choose the role and community, type the handle):
${demo.accounts.map((a) => `  ${a.handle.padEnd(18)} ${a.role.padEnd(12)} ${a.label}`).join('\n')}`
}`)

closeOnSignals(async () => {
  await running.close()
  await wechat?.stop()
  await engine.stop()
}, running.log)
