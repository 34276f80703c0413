import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const cacheDir = process.env.LINLI_CACHE_DIR ?? join(repoRoot, '.cache')
export const ferretdbVersion = 'v1.24.2'
export const ferretdbSource = join(repoRoot, 'scripts', 'engine', 'ferretdb')
/** Named by a hash of its sources, so a change to them builds a new binary. */
const sourceHash = createHash('sha256')
  .update(
    ['main.go', 'postgres.go', 'proxy.go', 'gin.go', 'go.mod', 'go.sum']
      .map((f) => readFileSync(join(ferretdbSource, f), 'utf8'))
      .join('\0'),
  )
  .digest('hex')
  .slice(0, 10)
export const ferretdbBinary = join(cacheDir, 'engine', `ferretdb-${ferretdbVersion}-${sourceHash}`)
