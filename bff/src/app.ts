import { existsSync } from 'node:fs'
import { bodyParser } from '@koa/bodyparser'
import cors from '@koa/cors'
import Router from '@koa/router'
import Koa from 'koa'
import { z } from 'zod'
import { activityRoutes } from './modules/activities/activities.routes'
import { auditRoutes } from './modules/audit/audit.routes'
import { authRoutes } from './modules/auth/auth.routes'
import { bookingRoutes } from './modules/booking/booking.routes'
import { cockpitRoutes } from './modules/cockpit/cockpit.routes'
import { deliberationRoutes } from './modules/deliberation/deliberation.routes'
import { departmentsRoutes } from './modules/departments/departments.routes'
import { familyRoutes } from './modules/family/family.routes'
import { gridRoutes } from './modules/grid/grid.routes'
import { lendingRoutes } from './modules/lending/lending.routes'
import { needsRoutes } from './modules/needs/needs.routes'
import { noticesRoutes } from './modules/notices/notices.routes'
import { notifyRoutes } from './modules/notify/notify.routes'
import { orgRoutes } from './modules/org/org.routes'
import { pointsRoutes } from './modules/points/points.routes'
import { privacyRoutes } from './modules/privacy/privacy.routes'
import { residencyRoutes } from './modules/residency/residency.routes'
import type { AppDeps } from './platform/deps'
import { serveH5 } from './platform/http/h5'
import { refuseDeepJson, refuseUndeclaredMethods } from './platform/http/hygiene'
import { mounter } from './platform/http/operation'
import { problems } from './platform/http/problem'
import { requestLog } from './platform/http/request-log'
import { securityHeaders } from './platform/http/security-headers'
import { buildOpenApi, renderDocs } from './platform/openapi'

z.config(z.locales.zhCN())

/** Builds the Koa app without listening, so tests drive it over real HTTP on a port of their own. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.TRUST_PROXY })
  const origins = deps.config.CORS_ORIGINS.split(',').map((o) => o.trim())

  app.use(requestLog(deps.log))
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // Taro H5's uploadFile reads the chosen image back from its blob: URL.
          connectSrc: ["'self'", 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  )
  app.use(
    cors({
      origin: (ctx) => (origins.includes(ctx.get('origin')) ? ctx.get('origin') : ''),
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-On-Behalf-Of'],
      exposeHeaders: ['X-Trace-Id', 'Retry-After'],
      maxAge: 600,
    }),
  )
  app.use(problems)
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '100kb', encoding: 'utf-8' }))
  app.use(refuseDeepJson)

  const router = new Router()
  const mount = mounter(router, deps)
  for (const routes of [
    authRoutes,
    orgRoutes,
    residencyRoutes,
    auditRoutes,
    pointsRoutes,
    needsRoutes,
    deliberationRoutes,
    bookingRoutes,
    activityRoutes,
    lendingRoutes,
    notifyRoutes,
    privacyRoutes,
    departmentsRoutes,
    gridRoutes,
    noticesRoutes,
    familyRoutes,
    cockpitRoutes,
  ])
    routes(mount, deps)

  const spec = buildOpenApi(process.env.npm_package_version ?? '0.1.0')
  const docs = renderDocs(spec)
  router.get('/openapi.json', (ctx) => {
    ctx.body = spec
  })
  // The H5 app has no icon; answer browsers' automatic request without a logged 404.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204
  })
  router.get('/docs', (ctx) => {
    ctx.type = 'html'
    ctx.body = docs
  })

  const h5 = !!deps.config.H5_DIR && existsSync(deps.config.H5_DIR)
  app.use(refuseUndeclaredMethods(router, h5))
  app.use(router.routes())
  if (h5) app.use(serveH5(deps.config.H5_DIR))
  return app
}
