import type { Mount } from '../../platform/http/operation'
import { listNotifications, markRead } from './notify.service'

export function notifyRoutes(mount: Mount): void {
  mount('listNotifications', ({ query }, { actor }) => listNotifications(actor.userId, query))
  mount('markNotificationsRead', ({ body }, { actor }) => markRead(actor.userId, body.ids))
}
