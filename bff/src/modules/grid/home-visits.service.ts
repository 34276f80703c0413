import { type HomeVisit, type HomeVisitInput, maskName } from '@linli/shared-types'
import { AppError, found } from '../../platform/errors'
import { paginate } from '../../platform/pagination'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Need, type NeedDoc } from '../needs/need.model'
import { canHandle } from '../needs/needs.policy'
import { OrgUnit } from '../org/org-unit.model'
import { type HomeVisitDoc, HomeVisitModel } from './home-visit.model'
import { residentInReach } from './residents'

function dto(v: HomeVisitDoc): HomeVisit {
  return {
    id: String(v._id),
    communityId: String(v.communityId),
    gridId: String(v.gridId),
    place: v.place,
    household: v.household,
    residentName: v.residentName ? maskName(v.residentName) : null,
    date: v.date,
    planned: v.planned,
    topics: v.topics,
    note: v.note ?? '',
    followUpNeedId: v.followUpNeedId ? String(v.followUpNeedId) : null,
    byName: v.byName,
    createdAt: v.createdAt.toISOString(),
  }
}

/** The visits the actor may read: their courtyards or grids (grid workers), their communities (staff). */
function visitReach(actor: Actor): Record<string, unknown> | null {
  if (actor.isAdmin) return {}
  const or: Record<string, unknown>[] = []
  for (const m of actor.memberships) {
    if (m.role !== 'gridWorker' || !m.scopeId) continue
    or.push({ [m.scopeType === 'courtyard' ? 'courtyardId' : 'gridId']: m.scopeId })
  }
  const staff = actor.reach.staff ?? []
  if (staff.length) or.push({ communityId: { $in: staff } })
  return or.length ? { $or: or } : null
}

async function assertFollowUp(actor: Actor, needId: string | undefined) {
  if (!needId) return
  const need = (await Need.findById(needId).lean()) as NeedDoc | null
  if (!need || !canHandle(actor, need)) throw new AppError('NOT_FOUND', '后续反映不存在')
}

export async function logHomeVisit(actor: Actor, input: HomeVisitInput): Promise<HomeVisit> {
  const building = await OrgUnit.findOne({ _id: input.buildingId, level: 'building' }).lean()
  if (!building || !canHandle(actor, { ...building, communityId: building.communityId ?? null }))
    throw new AppError('NOT_FOUND')
  const resident = input.residentId ? await residentInReach(actor, input.residentId) : null
  if (input.residentId && String(resident?.residency?.buildingId) !== String(building._id))
    throw new AppError('NOT_FOUND', '该楼栋没有这位居民')
  await assertFollowUp(actor, input.followUpNeedId)
  const courtyard = await OrgUnit.findById(building.courtyardId, { name: 1 }).lean()
  const visit = await HomeVisitModel.create({
    communityId: building.communityId,
    gridId: building.gridId,
    courtyardId: building.courtyardId,
    buildingId: building._id,
    place: [courtyard?.name, building.name].filter(Boolean).join(' '),
    household: input.household,
    residentId: resident?._id ?? null,
    residentName: resident?.nickname ?? null,
    date: input.date,
    planned: input.planned,
    topics: input.topics,
    note: input.note ?? '',
    followUpNeedId: input.followUpNeedId ?? null,
    byId: actor.userId,
    byName: actor.nickname,
  })
  await audit(actor, input.planned ? 'homeVisit.plan' : 'homeVisit.log', {
    type: 'homeVisit',
    id: String(visit._id),
    communityId: building.communityId,
  })
  return dto(visit.toObject() as HomeVisitDoc)
}

export async function listHomeVisits(
  actor: Actor,
  q: {
    limit: number
    cursor?: string | undefined
    from?: string | undefined
    to?: string | undefined
    planned?: 'true' | 'false' | undefined
  },
) {
  const reach = visitReach(actor)
  if (!reach) return { items: [], nextCursor: null }
  const date = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) }
  const filter = {
    $and: [
      reach,
      Object.keys(date).length ? { date } : {},
      q.planned ? { planned: q.planned === 'true' } : {},
    ],
  }
  const page = await paginate(HomeVisitModel, filter as never, {
    limit: q.limit,
    cursor: q.cursor,
    order: 'desc',
  })
  return { items: page.items.map((v) => dto(v as HomeVisitDoc)), nextCursor: page.nextCursor }
}

export async function completeHomeVisit(
  actor: Actor,
  id: string,
  body: { note?: string | undefined; followUpNeedId?: string | undefined },
): Promise<HomeVisit> {
  const reach = visitReach(actor)
  const visit = found(
    reach
      ? ((await HomeVisitModel.findOne({ $and: [{ _id: id }, reach] }).lean()) as HomeVisitDoc | null)
      : null,
  )
  await assertFollowUp(actor, body.followUpNeedId)
  const done = (await HomeVisitModel.findOneAndUpdate(
    { _id: visit._id },
    {
      $set: {
        planned: false,
        ...(body.note ? { note: body.note } : {}),
        ...(body.followUpNeedId ? { followUpNeedId: body.followUpNeedId } : {}),
      },
    },
    { new: true },
  ).lean()) as HomeVisitDoc
  await audit(actor, 'homeVisit.complete', { type: 'homeVisit', id, communityId: visit.communityId })
  return dto(done)
}
