import type { ServerResponse } from 'node:http'
import { basename } from 'node:path'
import type { Middleware } from 'koa'
import serve from 'koa-static'

/** Webpack names every JS/CSS chunk by a hash of its content: such a URL never changes meaning. */
const hashed = /\.[0-9a-f]{8,}\.(?:js|css)$/

/**
 * Serves the H5 build: the precompressed `.br`/`.gz` copy the browser accepts (scripts/precompress.ts
 * makes them at build time), hashed files cached for a year as immutable, everything else (index.html
 * first) revalidated on every load, answered 304 when unchanged. A path that cannot name a file
 * (traversal, bad escapes) is a 404.
 */
export function serveH5(dir: string): Middleware {
  const setHeaders = (res: ServerResponse, path: string) => {
    const file = basename(path).replace(/\.(?:br|gz)$/, '')
    res.setHeader('Cache-Control', hashed.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache')
    res.setHeader('Vary', 'Accept-Encoding')
  }
  const files = serve(dir, { setHeaders, brotli: true, gzip: true })
  return async (ctx, next) => {
    try {
      await files(ctx, next)
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500
      if (status >= 500) throw error
      ctx.status = 404
      return
    }
    if (ctx.status === 200 && (ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.fresh) {
      ctx.status = 304 // Koa drops the body
    }
  }
}
