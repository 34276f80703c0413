import { type CommunityDetail, type CommunitySummary, DEFAULT_TZ } from '@linli/shared-types'
import type { Types } from 'mongoose'
import { found } from '../../platform/errors'
import { OrgUnit, type OrgUnitDoc } from './org-unit.model'

export async function listCommunities(): Promise<CommunitySummary[]> {
  const [communities, streets] = await Promise.all([
    OrgUnit.find({ level: 'community' }).sort({ sortOrder: 1, name: 1 }).lean(),
    OrgUnit.find({ level: 'street' }).lean(),
  ])
  const streetName = new Map(streets.map((s) => [String(s._id), s.name]))
  return communities.map((c) => summary(c, streetName.get(String(c.streetId)) ?? ''))
}

export async function getCommunityTree(id: string): Promise<CommunityDetail> {
  const community = found(await OrgUnit.findOne({ _id: id, level: 'community' }).lean())
  const [street, units] = await Promise.all([
    OrgUnit.findById(community.streetId).lean(),
    OrgUnit.find({ communityId: community._id }).sort({ sortOrder: 1, name: 1 }).lean(),
  ])
  const childrenOf = (parentId: unknown, level: OrgUnitDoc['level']) =>
    units.filter((u) => u.level === level && String(u.parentId) === String(parentId))
  const node = (u: OrgUnitDoc) => ({ id: String(u._id), name: u.name })
  return {
    ...summary(community, street?.name ?? ''),
    deliberationDayOfMonth: community.deliberationDayOfMonth,
    grids: childrenOf(community._id, 'grid').map((g) => ({
      ...node(g),
      courtyards: childrenOf(g._id, 'courtyard').map((c) => ({
        ...node(c),
        buildings: childrenOf(c._id, 'building').map(node),
      })),
    })),
  }
}

function summary(c: OrgUnitDoc, streetName: string): CommunitySummary {
  return { id: String(c._id), name: c.name, streetId: String(c.streetId), streetName, timezone: c.timezone }
}

interface CommunityInfo {
  name: string
  timezone: string
}
const communityCache = new Map<string, CommunityInfo>()

/** Name and time zone of a community (cached: both change rarely). */
export async function communityInfo(id: Types.ObjectId | string): Promise<CommunityInfo> {
  const key = String(id)
  const cached = communityCache.get(key)
  if (cached) return cached
  const unit = await OrgUnit.findOne({ _id: key, level: 'community' }).lean()
  const info = { name: unit?.name ?? '', timezone: unit?.timezone || DEFAULT_TZ }
  if (unit) communityCache.set(key, info)
  return info
}
