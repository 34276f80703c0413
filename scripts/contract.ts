/**
 * `npm run test:contract`: checks that the server does what `/openapi.json` says, with Schemathesis.
 * Starts the real BFF on the real engine (a throw-away database), seeds the demo street, then runs
 * Schemathesis over every operation once anonymously and once as each role, each with a token of a
 * demo person of that role. Fails on any failure of any check. Schemathesis comes from PyPI, pinned,
 * into `.cache/venv` (made here when missing; CI makes it in `.ci/run`).
 *
 * Env: CONTRACT_MAX_EXAMPLES (default 3), CONTRACT_ONLY (comma-separated run names: anonymous,
 * resident, …), CONTRACT_OPERATIONS (an operationId regex, to iterate on one operation).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Membership } from '../bff/src/modules/auth/membership.model'
import { signAccessToken } from '../bff/src/modules/auth/tokens'
import { User } from '../bff/src/modules/auth/user.model'
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { type Role, roles } from '../shared-types/src/roles'
import { startEngine } from './engine/index'
import { repoRoot } from './engine/paths'
import { startMockWechat } from './mock-wechat'

export const SCHEMATHESIS_VERSION = '4.32.5'
const venv = join(repoRoot, '.cache', 'venv')
const st = join(venv, 'bin', 'st')
const maxExamples = process.env.CONTRACT_MAX_EXAMPLES ?? '3'
const only = process.env.CONTRACT_ONLY?.split(',')
const operationFilter = process.env.CONTRACT_OPERATIONS
/**
 * Examples, fuzzing (positive and negative data, --max-examples each) and stateful chains. The
 * coverage phase (every boundary of every schema, thousands of cases a run, ~3 min each here) is
 * opt-in: CONTRACT_PHASES=examples,coverage,fuzzing,stateful.
 */
const phases = process.env.CONTRACT_PHASES ?? 'examples,fuzzing,stateful'

function ensureSchemathesis(): void {
  const version = existsSync(st) ? spawnSync(st, ['--version'], { encoding: 'utf8' }).stdout : ''
  if (version.includes(SCHEMATHESIS_VERSION)) return
  console.log(`[contract] installing schemathesis==${SCHEMATHESIS_VERSION} into ${venv}`)
  const python = ['python3.11', 'python3'].find((p) => spawnSync(p, ['--version']).status === 0)
  if (!python) throw new Error('python3 is needed for the contract test')
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`)
  }
  if (!existsSync(join(venv, 'bin', 'pip'))) run(python, ['-m', 'venv', venv])
  run(join(venv, 'bin', 'pip'), [
    'install',
    '-q',
    '--disable-pip-version-check',
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ])
}

interface RunResult {
  name: string
  ok: boolean
  cases: number
  operations: number
  seconds: number
}

/**
 * The run's config: the shared settings, the caller's token, and for `deleteMyAccount` a disposable
 * person of the same role, so deleting an account does not end the token the rest of the run uses.
 */
function runConfig(reportDir: string, name: string, token?: string, disposable?: string): string {
  const base = readFileSync(join(repoRoot, 'scripts', 'contract.schemathesis.toml'), 'utf8')
  const auth = (t: string) => `headers = { Authorization = "Bearer ${t}" }`
  const file = join(reportDir, `${name}.toml`)
  writeFileSync(
    file,
    [
      token ? auth(token) : '',
      base,
      disposable ? `[[operations]]\ninclude-operation-id = "deleteMyAccount"\n${auth(disposable)}\n` : '',
    ].join('\n'),
  )
  return file
}

function runSchemathesis(name: string, url: string, config: string, reportDir: string): Promise<RunResult> {
  const started = Date.now()
  const ndjson = join(reportDir, `${name}.ndjson`)
  const argv = [
    '--config-file',
    config,
    'run',
    `${url}/openapi.json`,
    '--url',
    url,
    // Every check Schemathesis has; the one setting tuned is in contract.schemathesis.toml.
    '--checks',
    'all',
    '--max-examples',
    maxExamples,
    '--workers',
    '2',
    '--no-color',
    '--generation-deterministic',
    '--request-timeout',
    '20',
    '--suppress-health-check',
    'all',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    ndjson,
    ...(operationFilter ? ['--include-operation-id-regex', operationFilter] : []),
    '--phases',
    phases,
  ]
  return new Promise((resolve) => {
    const child = spawn(st, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d
    })
    child.on('close', (code) => {
      const seconds = (Date.now() - started) / 1000
      const { cases, operations } = countCases(ndjson)
      if (code !== 0) console.log(out)
      else
        console.log(
          out
            .split('\n')
            .filter((l) => /Test cases|Operations|passed|warning/i.test(l))
            .join('\n'),
        )
      console.log(
        `[contract] ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}, ${operations} operations, ${cases} cases, ${seconds.toFixed(0)} s`,
      )
      resolve({ name, ok: code === 0, cases, operations, seconds })
    })
  })
}

/** Test cases sent and operations tested, from Schemathesis's event stream. */
function countCases(ndjson: string): { cases: number; operations: number } {
  if (!existsSync(ndjson)) return { cases: 0, operations: 0 }
  let cases = 0
  const operations = new Set<string>()
  for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const event = JSON.parse(line) as {
      ScenarioFinished?: { recorder?: { label?: string; cases?: Record<string, unknown> } }
    }
    const recorder = event.ScenarioFinished?.recorder
    if (!recorder) continue
    // Scenarios of one operation are labelled `METHOD /path`; stateful ones chain several.
    if (recorder.label && /^[A-Z]+ \/\S*$/.test(recorder.label)) operations.add(recorder.label)
    cases += Object.keys(recorder.cases ?? {}).length
  }
  return { cases, operations: operations.size }
}

/** The demo person each role signs in as (admin has none in the demo: it signs in through dev login). */
const demoHandles: Record<Role, string | null> = {
  resident: 'resident-zhang',
  gridWorker: 'grid-wangping-1',
  staff: 'staff-wangping',
  streetStaff: 'street-mzw',
  deptStaff: 'dept-wangping-wuye',
  merchant: 'merchant-bakery',
  admin: null,
}

async function main(): Promise<number> {
  ensureSchemathesis()
  const started = Date.now()
  const engine = await startEngine()
  const wechat = await startMockWechat({ perMinute: 1000 })
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    WECHAT_API_BASE: wechat.url,
    // Schemathesis signs in hundreds of times a minute from one address.
    LOGIN_RATE_PER_MINUTE: '100000',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  })
  const running = await startServer(config, { mongoUri: engine.uri, dbName: 'contract', sweepers: false })
  const reportDir = mkdtempSync(join(tmpdir(), 'linli-contract-'))
  const results: RunResult[] = []
  try {
    await seedDemo()
    const devLogin = async (body: Record<string, string>): Promise<string> => {
      const res = await fetch(`${running.url}/api/v1/auth/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`dev login ${JSON.stringify(body)} failed: ${res.status}`)
      return ((await res.json()) as { accessToken: string }).accessToken
    }
    const tokens = new Map<Role, { token: string; disposable: string }>()
    for (const role of roles) {
      const handle = demoHandles[role]
      let token: string
      let scopeId: string | undefined
      if (handle) {
        const user = await User.findOne({ openid: `dev:${handle}` }).lean()
        if (!user) throw new Error(`demo person ${handle} is missing`)
        token = signAccessToken(config, String(user._id), 'contract')
        const membership = await Membership.findOne({ userId: user._id, role }).lean()
        scopeId = membership?.scopeId ? String(membership.scopeId) : undefined
      } else {
        token = await devLogin({ role, handle: `contract-${role.toLowerCase()}` })
      }
      const disposable = await devLogin({
        role,
        handle: `contract-leaver-${role.toLowerCase()}`,
        ...(scopeId && role !== 'resident' ? { scopeId } : {}),
      })
      tokens.set(role, { token, disposable })
    }
    const runs: [string, { token: string; disposable: string } | undefined][] = [
      ['anonymous', undefined],
      ...[...tokens],
    ]
    for (const [name, auth] of runs) {
      if (only && !only.includes(name)) continue
      const file = runConfig(reportDir, name, auth?.token, auth?.disposable)
      results.push(await runSchemathesis(name, running.url, file, reportDir))
      if (auth) {
        // The run's own person must still be signed in at the end: nothing it did ended its token.
        const me = await fetch(`${running.url}/api/v1/me`, {
          headers: { authorization: `Bearer ${auth.token}` },
        })
        if (me.status !== 200) {
          console.log(`[contract] ${name}: the run's token no longer works (${me.status})`)
          results.push({ name: `${name}-token`, ok: false, cases: 0, operations: 0, seconds: 0 })
        }
      }
    }
  } finally {
    await running.close()
    await wechat.stop()
    await engine.stop()
    if (process.env.CONTRACT_KEEP) console.log(`[contract] reports kept in ${reportDir}`)
    else rmSync(reportDir, { recursive: true, force: true })
  }
  const failed = results.filter((r) => !r.ok)
  const cases = results.reduce((n, r) => n + r.cases, 0)
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  console.log(
    `\n[contract] ${results.length} Schemathesis runs (anonymous and ${roles.length} roles), ${cases} test cases, ${seconds} s` +
      (failed.length ? `; failed: ${failed.map((r) => r.name).join(', ')}` : ''),
  )
  console.log(`contract: ${results.length - failed.length} passed, ${failed.length} failed`)
  return failed.length ? 1 : 0
}

mkdirSync(join(repoRoot, '.cache'), { recursive: true })
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
