/**
 * The BFF as production runs it, for benchmarks: compiled JavaScript (esbuild, npm packages external,
 * like `npm run build:server`) in its own process, so the load generator does not share its event
 * loop, and CPU time read from /proc for the BFF and for the engine's processes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { build } from 'esbuild'
import { repoRoot } from './engine/paths'

const bundle = join(repoRoot, '.cache', 'bench', 'server.mjs')

/**
 * Starts one compiled BFF over `mongoUri` (database in its path); resolves once it listens. The read
 * benchmarks turn its sweepers off, as on the in-process BFF whose queries they capture: a sweeper
 * run during a measurement loads the engine for one side only. BENCH_PROFILE=<dir>: it writes a CPU
 * profile there (node --cpu-prof).
 */
export async function startBffProcess(
  mongoUri: string,
  { sweepers = true } = {},
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  await build({
    stdin: {
      contents: `import { loadConfig } from './bff/src/platform/config'
import { startServer } from './bff/src/server'
const running = await startServer(loadConfig(), { sweepers: process.env.BENCH_SWEEPERS !== 'off' })
console.log(JSON.stringify({ url: running.url }))
process.once('SIGTERM', () => running.close().finally(() => process.exit(0)))`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // The workspace packages ship TypeScript: bundle them in.
    alias: { '@linli/shared-types': join(repoRoot, 'shared-types', 'src', 'index.ts') },
    logLevel: 'warning',
  })
  const profile = process.env.BENCH_PROFILE
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
  const child = spawn(process.execPath, [...nodeArgs, bundle], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      MONGODB_URI: mongoUri,
      BENCH_SWEEPERS: sweepers ? 'on' : 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the BFF did not start in 60 s')), 60_000)
    child.once('exit', (code) => reject(new Error(`the BFF exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const { url } = JSON.parse(line) as { url?: string }
        if (url) {
          clearTimeout(timer)
          resolve(url)
        }
      } catch {}
    })
  })
  return { url, pid: child.pid!, stop: () => stopChild(child) }
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

/** user + system CPU seconds and parent of every process, from /proc. */
function processes(): Map<number, { ppid: number; comm: string; cpu: number }> {
  const all = new Map<number, { ppid: number; comm: string; cpu: number }>()
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      all.set(Number(pid), {
        ppid: Number(fields[1]),
        comm,
        cpu: (Number(fields[11]) + Number(fields[12])) / 100,
      })
    } catch {} // gone meanwhile
  }
  return all
}

/**
 * CPU seconds used so far by the BFF process and by this process's engine (FerretDB and its
 * PostgreSQL, descendants of this process): other programs on the machine are not counted.
 */
export function cpuNow(bffPid: number): { bff: number; engine: number } {
  const all = processes()
  const isOurs = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid; p; p = all.get(p)?.ppid) if (p === process.pid) return true
    return false
  }
  let engine = 0
  for (const [pid, p] of all)
    if ((p.comm === 'postgres' || p.comm.startsWith('ferretdb')) && isOurs(pid)) engine += p.cpu
  return { bff: all.get(bffPid)?.cpu ?? 0, engine }
}

/** Resident memory of a process in MB (VmRSS), 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return Math.round(Number(kb ?? 0) / 1024)
  } catch {
    return 0
  }
}
