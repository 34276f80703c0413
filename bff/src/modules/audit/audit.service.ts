import {
  type AuditAction,
  type AuditEntry,
  type AuditQuery,
  auditActionLabels,
  auditSummary,
} from '@linli/shared-types'
import { paginate } from '../../platform/pagination'
import { type Actor, scopeFilter } from '../../platform/policy'
import { Audit, type AuditDoc } from './audit.model'
import { subjectNames } from './audit.names'

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
  action: AuditAction,
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

/** The log of the actor's reach, newest first; by action and by person (as staff or as subject). */
export async function listAudit(
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const filter: Record<string, unknown> = {
    ...scopeFilter(actor),
    ...(query.action ? { action: query.action } : {}),
    ...(query.personId
      ? {
          $or: [
            { actorId: query.personId },
            { subjectUserId: query.personId },
            { targetType: 'user', targetId: query.personId },
          ],
        }
      : {}),
  }
  const page = await paginate(Audit, filter, { limit: query.limit, cursor: query.cursor, order: 'desc' })
  const names = await subjectNames(page.items as AuditDoc[])
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((a) => {
      const subjectName = names.get(`${a.targetType}:${a.targetId}`) ?? ''
      return {
        id: String(a._id),
        actorId: String(a.actorId),
        actorName: a.actorName,
        action: a.action,
        targetType: a.targetType,
        targetId: a.targetId,
        communityId: a.communityId ? String(a.communityId) : null,
        actionLabel: (auditActionLabels as Record<string, string>)[a.action] ?? '其他操作',
        subjectName,
        summary: auditSummary(a.action, a.targetType, subjectName),
        detail: (a.detail ?? {}) as Record<string, unknown>,
        createdAt: a.createdAt.toISOString(),
      }
    }),
  }
}
