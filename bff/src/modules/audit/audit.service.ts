import type { AuditEntry, PageQuery } from '@linli/shared-types'
import { paginate } from '../../platform/pagination'
import { type Actor, scopeFilter } from '../../platform/policy'
import { Audit } from './audit.model'

export interface AuditTarget {
  type: string
  id: string
  communityId?: unknown
  /** What people call the target: a topic's title, a need's number, a resident's masked name. */
  name?: string | undefined
  /** The person the action concerns, so the log can be filtered by them and export finds it. */
  userId?: unknown
}

/** Writes one audit entry for a staff action. */
export async function audit(
  actor: Actor,
  action: string,
  target: AuditTarget,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await Audit.create({
    actorId: actor.userId,
    actorName: actor.nickname,
    action,
    targetType: target.type,
    targetId: target.id,
    communityId: target.communityId ?? null,
    subjectName: target.name ?? '',
    subjectUserId: target.userId ?? null,
    detail,
  })
}

export async function listAudit(
  actor: Actor,
  query: PageQuery & { action?: string | undefined },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const filter = { ...scopeFilter(actor), ...(query.action ? { action: query.action } : {}) }
  const page = await paginate(Audit, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((a) => ({
      id: String(a._id),
      actorId: String(a.actorId),
      actorName: a.actorName,
      action: a.action,
      targetType: a.targetType,
      targetId: a.targetId,
      communityId: a.communityId ? String(a.communityId) : null,
      detail: (a.detail ?? {}) as Record<string, unknown>,
      createdAt: a.createdAt.toISOString(),
    })),
  }
}
