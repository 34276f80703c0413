/**
 * Starts a real MongoDB-wire database, in this order (the choice is logged):
 * MONGODB_URI → mongodb-memory-server's mongod (when it can be had) → the embedded engine: FerretDB
 * v1.24 over a private PostgreSQL cluster, or over SQLite when PostgreSQL is not installed.
 * `LINLI_ENGINE=postgresql|sqlite` skips mongod and picks the embedded backend (`ferretdb`: skip mongod).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { installFerretdb } from './install'

export interface Engine {
  name: 'external' | 'mongod' | 'ferretdb'
  /** The embedded engine's storage. */
  backend?: 'postgresql' | 'sqlite'
  uri: string
  /** The embedded engine's current process id (it changes when the engine is restarted). */
  pid?(): number | undefined
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
  const choice = process.env.LINLI_ENGINE
  if (!choice || choice === 'mongod') {
    try {
      const engine = await startMongod(dataDir)
      log(`[engine] using mongodb-memory-server (${engine.uri})`)
      return engine
    } catch (error) {
      log(
        `[engine] mongod unavailable (${(error as Error).message.split('\n')[0]}); using the embedded engine`,
      )
    }
  }
  const postgresBin = choice === 'sqlite' ? undefined : findPostgres()
  if (choice === 'postgresql' && !postgresBin)
    throw new Error('LINLI_ENGINE=postgresql but PostgreSQL is not installed')
  const engine = await startFerretdb(dataDir, postgresBin, log)
  log(
    postgresBin
      ? `[engine] using FerretDB v1.24 over PostgreSQL (${postgresBin}) at ${engine.uri}`
      : `[engine] using FerretDB v1.24 over SQLite at ${engine.uri} (PostgreSQL not found: ${postgresGlob})`,
  )
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

const postgresGlob = '/usr/lib/postgresql/*/bin'

/** Debian's PostgreSQL binaries (the newest major installed), or LINLI_POSTGRES_BIN. */
function findPostgres(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb'))
  const explicit = process.env.LINLI_POSTGRES_BIN
  if (explicit) return has(explicit) ? explicit : undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find(has)
}

/** Restarts allowed within a minute before the engine is given up for dead. */
const maxRestarts = 5

async function startFerretdb(
  dataDir: string | undefined,
  postgresBin: string | undefined,
  log: (message: string) => void,
): Promise<Engine> {
  const binary = installFerretdb()
  const backend = postgresBin ? 'postgresql' : 'sqlite'
  let dir: string
  if (dataDir) {
    dir = join(dataDir, postgresBin ? 'postgres' : 'ferretdb')
    mkdirSync(dir, { recursive: true })
  } else {
    dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'linli-engine-'))
    chmodSync(dir, 0o755) // the postgres OS user must enter it when we run as root
  }
  const args = ['-handler', backend, '-dir', dir, '-watch-stdin']
  if (postgresBin) args.push('-postgres-bin', postgresBin)
  if (!dataDir) args.push('-ephemeral')
  // Both backends need it (README: the atomicity probe); turning it off is only for `npm run engine:probe`.
  const serialize = process.env.LINLI_ENGINE_SERIALIZE ?? '1'
  args.push(`-serialize=${serialize === '1'}`)

  const launch = (listen: string) =>
    // The engine exits when its stdin closes: it never outlives this process, even after kill -9.
    spawn(binary, ['-listen', listen, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  let child = launch('127.0.0.1:0')
  const uri = await firstLine(child)
  const listen = new URL(uri).host

  let stopping = false
  const restarts: number[] = []
  const supervise = (current: ChildProcess) =>
    current.once('exit', (code, signal) => {
      if (stopping) return
      const now = Date.now()
      restarts.push(now)
      while (restarts[0]! < now - 60_000) restarts.shift()
      if (restarts.length > maxRestarts) {
        log(`[engine] exited (${signal ?? code}) ${maxRestarts} times within a minute; not restarting`)
        return
      }
      log(`[engine] exited unexpectedly (${signal ?? code}); restarting on ${listen}`)
      // Same address, so connected clients reconnect on their own.
      child = launch(listen)
      firstLine(child).then(
        () => log('[engine] restarted'),
        (error: Error) => log(`[engine] restart failed: ${error.message}`),
      )
      supervise(child)
    })
  supervise(child)

  return {
    name: 'ferretdb',
    backend,
    uri,
    pid: () => child.pid,
    stop: () => {
      stopping = true
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    },
  }
}

/** The engine prints its URI once it listens (a first PostgreSQL start runs initdb first). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the engine did not start within 120 s')), 120_000)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`the engine exited with code ${code} at start`))
    }
    child.once('exit', onExit)
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      child.off('exit', onExit)
      resolve(line.trim())
    })
  })
}
