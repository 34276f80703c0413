import type { Mount } from '../../platform/http/operation'
import { exportCockpitXlsx } from './cockpit.export'
import { streetCockpit } from './cockpit.service'

export function cockpitRoutes(mount: Mount): void {
  mount('getStreetCockpit', ({ query }, { actor }) => streetCockpit(actor, query))
  mount('exportStreetCockpit', async ({ query }, { actor, koa }) => {
    const file = await exportCockpitXlsx(actor, query)
    koa.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    koa.set('Content-Disposition', `attachment; filename="street-cockpit-${query.from}-${query.to}.xlsx"`)
    koa.body = Buffer.from(file)
    return undefined
  })
}
