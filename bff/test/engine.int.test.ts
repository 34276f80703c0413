import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { MongoClient } from 'mongodb'
import mongoose from 'mongoose'
import { afterAll, describe, expect, it } from 'vitest'
import { startEngine } from '../../scripts/engine/index'
import { loadConfig } from '../src/platform/config'
import { startServer } from '../src/server'

// These tests own their engines (not the run's shared one): they kill them.
const root = mkdtempSync(join(tmpdir(), 'linli-engine-test-'))
chmodSync(root, 0o755) // the postgres OS user enters it when tests run as root
afterAll(() => rmSync(root, { recursive: true, force: true }))
const env = { ...process.env, LINLI_ENGINE: 'ferretdb' } // the embedded engine, never mongod
process.env.LINLI_ENGINE = 'ferretdb'

/** A live process, not a zombie left for a parent that is gone. */
function alive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return false
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined
}

interface Started {
  uri: string
  pid: number
  backend: 'postgresql' | 'sqlite'
}

/** Runs bff/test/engine-child.ts: a process whose only job is to start an engine and be killed. */
function startParent(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'engine-child.ts'), dataDir],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  let started: Started | undefined
  const ready = new Promise<Started>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`engine parent exited (${code})`)))
    createInterface({ input: child.stdout }).once('line', (line) => {
      started = JSON.parse(line) as Started
      resolve(started)
    })
  })
  ready.catch(() => {})
  return { child, ready, started: () => started }
}

describe('the embedded engine', () => {
  it('dies with its parent (kill -9), and a second start on the same files waits for it', async () => {
    const dir = join(root, 'parent')
    const first = startParent(dir)
    const one = await first.ready
    const client = await MongoClient.connect(one.uri)
    await client
      .db('life')
      .collection('marks')
      .insertOne({ _id: 'first' as never })
    await client.close()
    const postmaster = postmasterPid(dir)
    if (one.backend === 'postgresql') expect(alive(postmaster)).toBe(true)

    // A second start while the first engine lives must not run a second engine on these files.
    const second = startParent(dir)
    await new Promise((r) => setTimeout(r, 3_000))
    expect(second.started()).toBeUndefined()
    expect(alive(one.pid)).toBe(true)
    expect(postmasterPid(dir)).toBe(postmaster)

    first.child.kill('SIGKILL')
    await until(
      'the orphaned engine and its postgres have exited',
      () => !alive(one.pid) && !alive(postmaster),
    )
    const two = await second.ready
    expect(two.pid).not.toBe(one.pid)
    const again = await MongoClient.connect(two.uri)
    expect(
      await again
        .db('life')
        .collection('marks')
        .findOne({ _id: 'first' as never }),
    ).toBeTruthy()
    await again.close()

    const postmaster2 = postmasterPid(dir)
    second.child.kill('SIGKILL')
    await until('the second engine has exited', () => !alive(two.pid) && !alive(postmaster2))
  })

  it('is restarted when it dies alone; liveness and readiness follow the database', async () => {
    const dir = join(root, 'alone')
    const engine = await startEngine({ dataDir: dir, log: () => {} })
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' })
    const running = await startServer(config, { mongoUri: engine.uri, dbName: 'life', sweepers: false })
    const get = async (path: string) => {
      const res = await fetch(`${running.url}${path}`)
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }
    }
    try {
      expect(await get('/livez')).toMatchObject({ status: 200, body: { status: 'ok' } })
      expect(await get('/readyz')).toMatchObject({ status: 200, body: { status: 'ok' } })

      // A database that does not answer: not ready (503 problem), still alive, health degraded.
      const pid = engine.pid!()!
      process.kill(pid, 'SIGSTOP')
      try {
        const ready = await get('/readyz')
        expect([ready.status, ready.body.code]).toEqual([503, 'DB_UNAVAILABLE'])
        expect(ready.type).toContain('application/problem+json')
        expect((await get('/livez')).status).toBe(200)
        expect(await get('/healthz')).toMatchObject({
          status: 200,
          body: { status: 'degraded', db: { ok: false } },
        })
      } finally {
        process.kill(pid, 'SIGCONT')
      }
      await until('ready again', async () => (await get('/readyz')).status === 200)

      // The engine killed on its own is restarted on the same address; the driver reconnects.
      const postmaster = postmasterPid(dir)
      await mongoose.connection.db!.collection('marks').insertOne({ before: true })
      process.kill(pid, 'SIGKILL')
      await until('a new engine runs', () => alive(engine.pid!()) && engine.pid!() !== pid)
      await until('ready after the restart', async () => (await get('/readyz')).status === 200, 60_000)
      expect(alive(postmaster)).toBe(false)
      expect(await mongoose.connection.db!.collection('marks').countDocuments({ before: true })).toBe(1)
    } finally {
      await running.close()
      await engine.stop()
    }
    expect(alive(engine.pid!())).toBe(false)
  })

  it('falls back to SQLite when PostgreSQL is not installed, and says so', async () => {
    const logged: string[] = []
    process.env.LINLI_POSTGRES_BIN = join(root, 'no-postgres')
    try {
      const engine = await startEngine({ log: (m) => logged.push(m) })
      try {
        expect(engine.backend).toBe('sqlite')
        expect(logged.join('\n')).toMatch(/FerretDB v1\.24 over SQLite .*PostgreSQL not found/)
        const client = await MongoClient.connect(engine.uri)
        await client.db('fallback').collection('marks').insertOne({ ok: 1 })
        expect(await client.db('fallback').collection('marks').countDocuments()).toBe(1)
        await client.close()
      } finally {
        await engine.stop()
      }
    } finally {
      delete process.env.LINLI_POSTGRES_BIN
    }
  })
})
