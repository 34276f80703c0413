import type { NeedLevel } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError } from '../../platform/errors'
import { findByIds } from '../../platform/filters'
import type { Actor } from '../../platform/policy'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'

type Oid = Types.ObjectId | string | null | undefined

export interface NeedPlace {
  communityId: Oid
  streetId?: Oid
  gridId?: Oid
  courtyardId?: Oid
  reporterId?: Oid
}

const s = (id: Oid) => (id ? String(id) : '')

/**
 * The needs an actor handles, as a mongo filter, or null when none: a micro-grid worker their
 * courtyards, a grid worker their grids, staff their community, street staff their street.
 */
export function handlerFilter(actor: Actor): Record<string, unknown> | null {
  if (actor.isAdmin) return {}
  const or: Record<string, unknown>[] = []
  const gridCommunities = actor.reach.gridWorker ?? []
  for (const m of actor.memberships) {
    if (m.role !== 'gridWorker' || !m.scopeId) continue
    if (m.scopeType === 'courtyard')
      or.push({ courtyardId: m.scopeId, communityId: { $in: gridCommunities } })
    if (m.scopeType === 'grid') or.push({ gridId: m.scopeId, communityId: { $in: gridCommunities } })
  }
  const community = [...(actor.reach.staff ?? []), ...(actor.reach.streetStaff ?? [])]
  if (community.length) or.push({ communityId: { $in: community } })
  return or.length ? { $or: or } : null
}

/** Whether the actor is a handler anywhere up the need's chain (micro-grid → street). */
export function canHandle(actor: Actor, need: NeedPlace): boolean {
  if (actor.isAdmin) return true
  const community = s(need.communityId)
  if ((actor.reach.staff ?? []).includes(community)) return true
  if ((actor.reach.streetStaff ?? []).includes(community)) return true
  if (!(actor.reach.gridWorker ?? []).includes(community)) return false
  return actor.memberships.some(
    (m) =>
      m.role === 'gridWorker' &&
      !!m.scopeId &&
      ((m.scopeType === 'courtyard' && m.scopeId === s(need.courtyardId)) ||
        (m.scopeType === 'grid' && m.scopeId === s(need.gridId))),
  )
}

export const isReporter = (actor: Actor, need: NeedPlace) =>
  !!need.reporterId && s(need.reporterId) === actor.userId

/** The resident who reported it and every handler up the chain; anyone else gets 404. */
export function assertCanSee(actor: Actor, need: NeedPlace): void {
  if (!isReporter(actor, need) && !canHandle(actor, need)) throw new AppError('NOT_FOUND')
}

export function assertCanHandle(actor: Actor, need: NeedPlace): void {
  if (!canHandle(actor, need)) throw new AppError('NOT_FOUND')
}

/** The people who handle a need at a level, oldest membership first. */
export async function handlersAt(need: NeedPlace, level: NeedLevel): Promise<{ id: string; name: string }[]> {
  const filter =
    level === 'courtyard'
      ? { role: 'gridWorker', scopeType: 'courtyard', scopeId: need.courtyardId }
      : level === 'grid'
        ? { role: 'gridWorker', scopeType: 'grid', scopeId: need.gridId }
        : level === 'community'
          ? { role: 'staff', scopeType: 'community', scopeId: need.communityId }
          : { role: 'streetStaff', scopeType: 'street', scopeId: need.streetId }
  if (!filter.scopeId) return []
  const rows = await Membership.find(filter).sort({ createdAt: 1, _id: 1 }).limit(20).lean()
  const users = await findByIds<{ _id: unknown; nickname: string }>(
    User,
    rows.map((m) => m.userId),
    { nickname: 1 },
  )
  const names = new Map(users.map((u) => [String(u._id), u.nickname]))
  return rows.map((m) => ({ id: String(m.userId), name: names.get(String(m.userId)) ?? m.scopeName }))
}
