import { maskName, maskPhone, type ResidentMatch, type ResidentSearchQuery } from '@linli/shared-types'
import { type Actor, assertInReach, communitiesInReach } from '../../platform/policy'
import { User } from '../auth/user.model'
import { ResidencyClaim } from './claim.model'

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** What `q` may mean: a name, a phone tail, a room, or 1栋 / 3单元 / 1栋3单元502 / 3-502. */
function matchers(q: string): Record<string, unknown>[] {
  const or: Record<string, unknown>[] = [{ realName: { $regex: escapeRegex(q) } }]
  if (/^\d{4}$/.test(q)) or.push({ phone: { $regex: `${q}$` } })
  if (/^\d{1,6}$/.test(q)) or.push({ room: q })
  const dashed = /^(\d+)-(\d+)$/.exec(q)
  if (dashed) or.push({ unit: dashed[1], room: dashed[2] })
  const address = /^(.+?栋)?(?:(\d+)单元)?(\d+)?$/.exec(q)
  if (address && (address[1] || address[2]))
    or.push({
      ...(address[1] ? { buildingName: address[1] } : {}),
      ...(address[2] ? { unit: address[2] } : {}),
      ...(address[3] ? { room: address[3] } : {}),
    })
  return or
}

/**
 * Verified residents of the communities the staff member reaches, from their approved claims (the
 * only place real names and phones live), masked. Another community asked for by id answers 404.
 */
export async function searchResidents(
  actor: Actor,
  query: ResidentSearchQuery,
): Promise<{ items: ResidentMatch[] }> {
  if (query.communityId) assertInReach(actor, query.communityId)
  const reach = query.communityId ? [query.communityId] : communitiesInReach(actor)
  if (reach !== 'all' && !reach.length) return { items: [] }
  const q = query.q.replace(/\s+/g, '')
  const claims = await ResidencyClaim.find({
    ...(reach === 'all' ? {} : { communityId: { $in: reach } }),
    status: 'approved',
    $or: matchers(q),
  })
    .sort({ createdAt: 1, _id: 1 })
    .limit(query.limit * 2)
    .lean()
  // Only the claim a still-verified user holds now (not one superseded or of a deleted account).
  const users = await User.find(
    { _id: { $in: claims.map((c) => c.userId) }, 'residency.status': 'verified' },
    { 'residency.claimId': 1 },
  ).lean()
  const current = new Set(users.map((u) => String(u.residency?.claimId)))
  return {
    items: claims
      .filter((c) => current.has(String(c._id)))
      .slice(0, query.limit)
      .map((c) => ({
        userId: String(c.userId),
        name: maskName(c.realName),
        phone: maskPhone(c.phone),
        communityId: String(c.communityId),
        communityName: c.communityName,
        address: `${c.courtyardName} ${c.buildingName} ${c.unit}单元 ${c.room}`,
      })),
  }
}
