/**
 * `npm run size`: the weapp main package size (target ≤ 1 MB, WeChat's limit 2 MB; subpackages are
 * counted separately), each subpackage, whether every page that imports styles got its wxss, and the
 * H5 initial JavaScript, raw and gzipped. Run after `npm run build`; exits 1 when a check fails.
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
let failed = false
if (existsSync(join(weapp, 'app.json'))) {
  const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8')) as {
    pages: string[]
    subPackages?: { root: string; pages: string[] }[]
  }
  const roots = (app.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''))
  const all = files(weapp)
  const inSub = (f: string) => roots.some((r) => relative(weapp, f).startsWith(`${r}/`))
  const main = all.filter((f) => !inSub(f)).reduce((n, f) => n + statSync(f).size, 0)
  const mainOk = main <= 1024 * 1024
  failed ||= !mainOk
  console.log(
    `weapp main package: ${kb(main)} (target ≤ 1024 KB: ${mainOk ? 'met' : 'MISSED'}; limit 2048 KB)`,
  )
  for (const root of roots) {
    const size = all
      .filter((f) => relative(weapp, f).startsWith(`${root}/`))
      .reduce((n, f) => n + statSync(f).size, 0)
    console.log(`  subpackage ${root}: ${kb(size)}`)
  }
  // A page's styles reach weapp only through its own wxss (a subpackage's never apply to the main package).
  const pages = [
    ...app.pages,
    ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
  ]
  const src = join(repoRoot, 'miniapp', 'src')
  const styled = pages.filter((p) => /import '[^']+\.css'/.test(readFileSync(join(src, `${p}.tsx`), 'utf8')))
  const missing = styled.filter((p) => !existsSync(join(weapp, `${p}.wxss`)))
  failed ||= missing.length > 0
  console.log(
    `pages with styles: ${styled.length} of ${pages.length}, wxss present for ${styled.length - missing.length}` +
      (missing.length ? `; MISSING: ${missing.join(', ')}` : ''),
  )
  // Shared styles are extracted to a package's sub-vendors / sub-common wxss that pages @import.
  const broken = all
    .filter((f) => f.endsWith('.wxss'))
    .flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/@import\s+"([^"]+)"/g)]
        .map((m) => join(f, '..', m[1]!))
        .filter((target) => !existsSync(target))
        .map((target) => `${relative(weapp, f)} → ${relative(weapp, target)}`),
    )
  failed ||= broken.length > 0
  console.log(`wxss @imports: ${broken.length ? `BROKEN: ${broken.join(', ')}` : 'all resolve'}`)
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
if (failed) process.exitCode = 1
