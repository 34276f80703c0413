/**
 * Precompresses the H5 build's content-hashed JS and CSS (brotli at maximum quality, gzip -9) next to
 * each file (`app.1234abcd.js.br`, `.gz`), once at build time; the BFF serves whichever the browser
 * accepts. Only hashed files: a copy can never be stale, as a changed file gets a new name (index.html
 * is a few hundred bytes). Usage: `tsx scripts/precompress.ts <dir>` (miniapp's build:h5 runs it).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const hashedText = /\.[0-9a-f]{8,}\.(?:js|css)$/
/** Below this a compressed copy saves less than a packet. */
const minBytes = 1024

export interface Precompressed {
  files: number
  bytes: number
  brotli: number
  gzip: number
}

export function precompress(dir: string, totals: Precompressed = { files: 0, bytes: 0, brotli: 0, gzip: 0 }) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      precompress(path, totals)
      continue
    }
    if (!hashedText.test(name)) continue
    const raw = readFileSync(path)
    const variants = {
      br: brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      }),
      gz: gzipSync(raw, { level: 9 }),
    }
    totals.files++
    totals.bytes += raw.length
    for (const [ext, data] of Object.entries(variants)) {
      if (raw.length >= minBytes && data.length < raw.length) writeFileSync(`${path}.${ext}`, data)
    }
    totals.brotli += Math.min(raw.length, variants.br.length)
    totals.gzip += Math.min(raw.length, variants.gz.length)
  }
  return totals
}

if (process.argv[1]?.endsWith('/scripts/precompress.ts')) {
  const dir = process.argv[2]
  if (!dir) throw new Error('usage: precompress.ts <dir>')
  const t = precompress(dir)
  const kb = (n: number) => `${Math.round(n / 1024)} KB`
  console.log(
    `[precompress] ${t.files} text assets in ${dir}: ${kb(t.bytes)} → brotli ${kb(t.brotli)}, gzip ${kb(t.gzip)}`,
  )
}
