/**
 * Builds the offline engine (FerretDB v1.24.2 over embedded SQLite) into the project cache with the
 * local Go toolchain. Modules come from the Go module proxy; nothing else is downloaded.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { ferretdbBinary, ferretdbSource } from './paths'

export function installFerretdb(): string {
  if (existsSync(ferretdbBinary)) return ferretdbBinary
  mkdirSync(dirname(ferretdbBinary), { recursive: true })
  console.log(`[engine] building FerretDB into ${ferretdbBinary} (first time only, about a minute)…`)
  const result = spawnSync('go', ['build', '-trimpath', '-o', ferretdbBinary, '.'], {
    cwd: ferretdbSource,
    stdio: 'inherit',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  })
  if (result.error || result.status !== 0) {
    throw new Error(
      `building FerretDB failed (${result.error?.message ?? `exit ${result.status}`}); is Go installed?`,
    )
  }
  return ferretdbBinary
}

// `npm run engine:install`. Not by URL comparison: the production bundle includes this module.
if (process.argv[1]?.endsWith('/scripts/engine/install.ts')) installFerretdb()
