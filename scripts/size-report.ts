/**
 * `npm run size`: the weapp main package size (WeChat's limit is 2 MB; subpackages are counted
 * separately) and the H5 initial JavaScript, raw and gzipped. Run after `npm run build`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { repoRoot } from './engine/paths'

const dist = join(repoRoot, 'miniapp', 'dist')
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

const weapp = join(dist, 'weapp')
if (existsSync(join(weapp, 'app.json'))) {
  const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[]
  }
  const roots = (app.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''))
  const all = files(weapp)
  const inSub = (f: string) => roots.some((r) => relative(weapp, f).startsWith(`${r}/`))
  const main = all.filter((f) => !inSub(f)).reduce((n, f) => n + statSync(f).size, 0)
  console.log(`weapp main package: ${kb(main)} (limit 2048 KB)`)
  for (const root of roots) {
    const size = all
      .filter((f) => relative(weapp, f).startsWith(`${root}/`))
      .reduce((n, f) => n + statSync(f).size, 0)
    console.log(`  subpackage ${root}: ${kb(size)}`)
  }
} else console.log('no weapp build (npm run build:weapp -w miniapp)')

const h5 = join(dist, 'h5')
if (existsSync(join(h5, 'index.html'))) {
  const html = readFileSync(join(h5, 'index.html'), 'utf8')
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!.replace(/^\//, ''))
  let raw = 0
  let gz = 0
  for (const src of scripts) {
    const body = readFileSync(join(h5, src))
    raw += body.length
    gz += gzipSync(body, { level: 9 }).length
  }
  console.log(`H5 initial JS (${scripts.length} files): ${kb(raw)} raw, ${kb(gz)} gzip`)
} else console.log('no H5 build (npm run build:h5 -w miniapp)')
