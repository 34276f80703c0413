/**
 * Starts a real MongoDB-wire database, in the order DESIGN.md gives:
 * MONGODB_URI → mongodb-memory-server's mongod → FerretDB v1.24 over SQLite (offline fallback).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { installFerretdb } from './install'

export interface Engine {
  name: 'external' | 'mongod' | 'ferretdb'
  uri: string
  stop(): Promise<void>
}

export interface EngineOptions {
  /** Where the engine keeps its files; omit for a throw-away engine. */
  dataDir?: string
  log?: (message: string) => void
}

export async function startEngine({ dataDir, log = console.log }: EngineOptions = {}): Promise<Engine> {
  const external = process.env.MONGODB_URI
  if (external) {
    log('[engine] using MONGODB_URI')
    return { name: 'external', uri: external, stop: async () => {} }
  }
  if (process.env.LINLI_ENGINE !== 'ferretdb') {
    try {
      const engine = await startMongod(dataDir)
      log(`[engine] using mongodb-memory-server (${engine.uri})`)
      return engine
    } catch (error) {
      log(
        `[engine] mongod unavailable (${(error as Error).message.split('\n')[0]}); falling back to FerretDB`,
      )
    }
  }
  const engine = await startFerretdb(dataDir)
  log(`[engine] using FerretDB v1.24 over SQLite (${engine.uri})`)
  return engine
}

async function startMongod(dataDir: string | undefined): Promise<Engine> {
  // Offline the download fails on DNS at once; retrying with back-off would only delay the fallback.
  process.env.MONGOMS_MAX_RETRIES ??= '1'
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core')
  const binary = await MongoBinary.getPath()
  const dbPath = dataDir && join(dataDir, 'mongod')
  if (dbPath) mkdirSync(dbPath, { recursive: true })
  const server = await MongoMemoryServer.create({
    instance: dbPath ? { dbPath, storageEngine: 'wiredTiger' } : {},
    binary: { systemBinary: binary },
  })
  return {
    name: 'mongod',
    uri: server.getUri(),
    stop: async () => void (await server.stop({ doCleanup: !dbPath })),
  }
}

async function startFerretdb(dataDir: string | undefined): Promise<Engine> {
  const binary = installFerretdb()
  const dir = join(
    dataDir ?? join(process.env.TMPDIR ?? '/tmp', `linli-ferretdb-${process.pid}-${Date.now()}`),
    'ferretdb',
  )
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
  const child = spawn(binary, ['-listen', '127.0.0.1:0', '-sqlite-dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const uri = await firstLine(child)
  return {
    name: 'ferretdb',
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** The engine prints its URI once it listens on a free port. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('FerretDB did not start within 20 s')), 20_000)
    child.once('exit', (code) => reject(new Error(`FerretDB exited with code ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      resolve(line.trim())
    })
  })
}
