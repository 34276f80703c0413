import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { repoRoot } from '../../scripts/engine/paths'

const h5 = mkdtempSync(join(tmpdir(), 'linli-prod-h5-'))
writeFileSync(join(h5, 'index.html'), '<!doctype html><title>邻里</title>')
let server: ChildProcess | undefined
afterAll(() => {
  server?.kill('SIGKILL')
  rmSync(h5, { recursive: true, force: true })
})

describe('production build', () => {
  it('`npm run build:server` emits JavaScript that `NODE_ENV=production npm start` runs with plain node', async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
    expect(build.status, build.stderr).toBe(0)
    const bundle = join(repoRoot, 'dist', 'server', 'start.js')
    expect(existsSync(bundle)).toBe(true)
    // The workspace packages are bundled in; npm packages load from node_modules.
    const code = readFileSync(bundle, 'utf8')
    expect(code).not.toMatch(/(?:from |import\()["'](?:@linli\/|[^"']*\.ts["'])/)

    // `npm start` runs scripts/launch.mjs; spawned directly so the pid is the server's own.
    const secret = 'x'.repeat(40)
    server = spawn(process.execPath, ['scripts/launch.mjs'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        MONGODB_URI: `${inject('mongoUri')}prod_${Date.now()}`,
        JWT_SECRET: secret,
        BALLOT_SECRET: `${secret}b`,
        WECHAT_APPID: 'wx-test-appid',
        WECHAT_SECRET: 'wx-test-secret',
        WECHAT_API_BASE: inject('wechatUrl'),
        HOST: '127.0.0.1',
        PORT: '0',
        H5_DIR: h5,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const url = await new Promise<string>((resolve, reject) => {
      server!.once('exit', (c) => reject(new Error(`server exited (${c})`)))
      createInterface({ input: server!.stdout! }).on('line', (line) => {
        const found = /running at (http:\/\/\S+)/.exec(line)
        if (found) resolve(found[1]!)
      })
    })
    // No TypeScript loader in the process: plain node, no --import/--require, no NODE_OPTIONS.
    const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
    expect(cmdline).toEqual([process.execPath, 'scripts/launch.mjs'])
    expect(readFileSync(`/proc/${server.pid}/environ`, 'utf8')).not.toContain('NODE_OPTIONS')

    expect((await fetch(`${url}/readyz`)).status).toBe(200)
    const health = (await (await fetch(`${url}/healthz`)).json()) as {
      devLogin: boolean
      db: { ok: boolean }
    }
    expect(health).toMatchObject({ devLogin: false, db: { ok: true } })
    const dev = await fetch(`${url}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'resident', handle: 'resident-zhang' }),
    })
    expect(dev.status).toBe(403)

    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve))
    server.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
