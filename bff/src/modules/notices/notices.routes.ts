import type { Mount } from '../../platform/http/operation'
import { confirmNotice, getNotice, getNoticeReceipts, listNotices, publishNotice } from './notices.service'

export function noticesRoutes(mount: Mount): void {
  mount('publishNotice', ({ body }, { actor }) => publishNotice(actor, body))
  mount('listNotices', ({ query }, { actor }) => listNotices(actor, query))
  mount('getNotice', ({ params }, { actor }) => getNotice(actor, params.id))
  mount('confirmNotice', ({ params }, { actor }) => confirmNotice(actor, params.id))
  mount('getNoticeReceipts', ({ params }, { actor }) => getNoticeReceipts(actor, params.id))
}
