import { PRIVACY_NOTICE_VERSION, zoneDate } from '@linli/shared-types'
import type { Mount } from '../../platform/http/operation'
import { createLimiter } from '../../platform/http/rate-limit'
import { consentsOf } from './consent.model'
import { deleteAccount } from './deletion.service'
import { exportMyData } from './export.service'

export function privacyRoutes(mount: Mount): void {
  // An export reads every collection: a few per person and hour is plenty.
  const limitExport = createLimiter('export', 5, 3600)
  mount('listMyConsents', async (_, { actor }) => ({
    items: await consentsOf(actor.userId),
    currentVersion: PRIVACY_NOTICE_VERSION,
  }))
  mount('exportMyData', async (_, { actor, koa }) => {
    await limitExport(actor.userId)
    koa.set('Content-Disposition', `attachment; filename="linli-my-data-${zoneDate(new Date())}.json"`)
    koa.set('Cache-Control', 'no-store')
    return exportMyData(actor.userId)
  })
  mount('deleteMyAccount', async (_, { actor }) => {
    await deleteAccount(actor.userId)
    return undefined
  })
}
