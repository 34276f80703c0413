import type { AppDeps } from '../../platform/deps'
import type { Mount } from '../../platform/http/operation'
import { createCategory, updateCategory } from './needs.categories'
import * as handling from './needs.handling'
import { createNeed } from './needs.intake'
import { createRequest, getRequest, listRequests, listServices } from './needs.open311'
import { sendPhoto, uploadPhoto } from './needs.photos'
import { listForHandling } from './needs.queue-page'
import * as mine from './needs.resident'
import * as needs from './needs.service'
import { exportStatsCsv, needStats } from './needs.stats'

export function needsRoutes(mount: Mount, deps: AppDeps): void {
  mount('listNeedCategories', ({ query }, { actor }) =>
    needs.listCategories(actor, query.communityId, query.includeInactive),
  )
  mount('createNeedCategory', ({ body }, { actor }) => createCategory(actor, body))
  mount('updateNeedCategory', ({ params, body }, { actor }) => updateCategory(actor, params.id, body))
  mount('createNeed', ({ body }, { actor }) => createNeed(actor, body, deps))
  // The body is the image itself (or multipart); the JSON body parser leaves it unread for us.
  mount('uploadNeedPhoto', (_, { actor, koa }) => uploadPhoto(actor, koa))
  mount('listMyNeeds', ({ query }, { actor }) => needs.listMyNeeds(actor, query))
  mount('getNeed', async ({ params, query }, { actor, koa }) => {
    if (!query.photo) return needs.getNeed(actor, params.id)
    const need = await needs.loadVisible(actor, params.id)
    await sendPhoto(koa, params.id, query.photo)
    return needs.toDetail(need, actor)
  })
  mount('withdrawNeed', ({ params, body }, { actor }) => mine.withdrawNeed(actor, params.id, body))
  mount('listNeedsForHandling', ({ query }, { actor }) => listForHandling(actor, query))
  mount('acceptNeed', ({ params }, { actor }) => handling.acceptNeed(actor, params.id))
  mount('addNeedReply', ({ params, body }, { actor }) => handling.replyNeed(actor, params.id, body))
  mount('resolveNeed', ({ params, body }, { actor }) => handling.resolveNeed(actor, params.id, body))
  mount('escalateNeed', ({ params, body }, { actor }) => handling.escalateNeed(actor, params.id, body))
  mount('referNeed', ({ params, body }, { actor }) => handling.referNeed(actor, params.id, body))
  mount('markNeedDuplicate', ({ params, body }, { actor }) => handling.markDuplicate(actor, params.id, body))
  mount('rateNeed', ({ params, body }, { actor }) => mine.rateNeed(actor, params.id, body, deps))
  mount('reopenNeed', ({ params, body }, { actor }) => mine.reopenNeed(actor, params.id, body))
  mount('getNeedStats', ({ query }, { actor }) => needStats(actor, query))
  mount('exportNeedStats', async ({ query }, { actor, koa }) => {
    const csv = await exportStatsCsv(actor, query)
    koa.type = 'text/csv; charset=utf-8'
    koa.set('Content-Disposition', `attachment; filename="need-stats-${query.from}-${query.to}.csv"`)
    koa.body = csv
    return undefined
  })
  mount('open311ListServices', ({ query }) => listServices(query.jurisdiction_id))
  mount('open311ListRequests', ({ query }) => listRequests(query))
  mount('open311GetRequest', ({ params }) => getRequest(params.id))
  mount('open311CreateRequest', ({ body }) => createRequest(deps.config, body))
}
