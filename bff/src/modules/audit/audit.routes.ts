import type { Mount } from '../../platform/http/operation'
import { listAudit } from './audit.service'

export function auditRoutes(mount: Mount): void {
  mount('listAuditLog', ({ query }, { actor }) => listAudit(actor, query))
}
