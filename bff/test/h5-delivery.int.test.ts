import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { precompress } from '../../scripts/precompress'
import { startTestApp } from './harness'

// An H5 build in miniature: a content-hashed chunk and stylesheet, index.html, an unhashed image.
const dir = mkdtempSync(join(tmpdir(), 'linli-h5-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'js'))
mkdirSync(join(dir, 'css'))
const chunk = Array.from({ length: 400 }, (_, i) => `export const value${i} = "邻里 ${i}";\n`).join('')
writeFileSync(join(dir, 'js', 'app.38a1e1ae.js'), chunk)
writeFileSync(join(dir, 'css', 'app.9812e649.css'), '.page{font-size:16px}\n'.repeat(200))
writeFileSync(join(dir, 'index.html'), '<!doctype html><script defer src="/js/app.38a1e1ae.js"></script>')
const totals = precompress(dir)
const app = await startTestApp({ H5_DIR: dir })

/** A raw GET: undici's fetch would decode the body and pick its own Accept-Encoding. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number
    headers: Record<string, string | string[] | undefined>
    body: Buffer
  }>((resolve, reject) => {
    request(`${app.url}${path}`, { headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (p: Buffer) => parts.push(p))
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
      )
    })
      .on('error', reject)
      .end()
  })
}

describe('H5 delivery', () => {
  it('precompresses hashed text assets at build time', () => {
    expect(totals.files).toBe(2)
    expect(totals.brotli).toBeLessThan(totals.bytes / 4)
    expect(totals.gzip).toBeLessThan(totals.bytes / 4)
    expect(readFileSync(join(dir, 'js', 'app.38a1e1ae.js.br')).length).toBeGreaterThan(0)
  })

  it('serves brotli or gzip as the browser accepts, and hashed files as immutable', async () => {
    const br = await get('/js/app.38a1e1ae.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toContain('javascript')
    expect(br.headers.vary).toContain('Accept-Encoding')
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(br.body.length).toBeLessThan(chunk.length / 4)
    expect(brotliDecompressSync(br.body).toString()).toBe(chunk)

    const gz = await get('/js/app.38a1e1ae.js', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(chunk)

    const plain = await get('/js/app.38a1e1ae.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(chunk)

    const css = await get('/css/app.9812e649.css', { 'accept-encoding': 'br' })
    expect([css.headers['content-encoding'], css.headers['cache-control']]).toEqual([
      'br',
      'public, max-age=31536000, immutable',
    ])
  })

  it('revalidates index.html on every load and answers 304 when unchanged', async () => {
    const page = await get('/', { 'accept-encoding': 'br' })
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.body.toString()).toContain('app.38a1e1ae.js')
    const again = await get('/', { 'if-modified-since': String(page.headers['last-modified']) })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
  })
})
