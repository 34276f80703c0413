import {
  type CreateNeedInput,
  DEFAULT_TZ,
  NEED_DUPLICATE_WINDOW_DAYS,
  type NeedDetail,
  type NeedLevel,
  type NeedSla,
  type NeedStatus,
  type NeedUrgency,
  needStatusLabels,
  slaDeadline,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import type { AppDeps } from '../../platform/deps'
import { AppError, fail } from '../../platform/errors'
import { type Actor, requireVerifiedResident } from '../../platform/policy'
import { notifyMany } from '../notify/notify.service'
import { OrgUnit } from '../org/org-unit.model'
import { type CategoryDoc, Need, NeedCategory, type NeedDoc } from './need.model'
import { writeDerived } from './needs.derived'
import { nextNeedNumber } from './needs.numbers'
import { assertOwnFreePhotos, attachPhotos } from './needs.photos'
import { entry, handlerNotices, nextHandlers, receiptText, residentNotice, toDetail } from './needs.service'

type Id = mongoose.Types.ObjectId | string | null | undefined

/**
 * Everything a new need needs, whichever door it came in by: a resident's own report, a grid
 * worker's filing on someone's behalf, or a city platform's Open311 request.
 */
export interface NeedIntake {
  place: { communityId: Id; gridId: Id; courtyardId: Id; buildingId: Id }
  category: CategoryDoc
  /** The level it starts at; the category's default unless the door knows better. */
  level?: NeedLevel
  title: string
  description: string
  /** Free text after the courtyard and building names (e.g. 3单元502). */
  location?: string | undefined
  urgency: NeedUrgency
  photoIds?: string[]
  reporter: { id: string | null; name: string; phone?: string | null | undefined }
  /** Who put it in and what the first timeline entry says. */
  submitted: {
    actorId?: string
    actorRole: 'resident' | 'handler' | 'system'
    actorName: string
    note: string
  }
  /** Extra fields one door stores (the filing grid worker, the Open311 source). */
  extra?: Record<string, unknown>
}

/**
 * Numbers, routes and stores a need with its submitted and receipt entries, starts the accept
 * clock and records its facts. The caller tells whoever must hear of it.
 */
export async function openNeed(i: NeedIntake, now = new Date()) {
  const { place, category } = i
  // The community, courtyard and building in one read: names for the location, street and zone.
  const ids = [place.communityId, place.courtyardId, place.buildingId].filter(Boolean)
  const units = await OrgUnit.find({ _id: { $in: ids } }, { name: 1, streetId: 1, timezone: 1 }).lean()
  const unit = (id: Id) => (id ? units.find((u) => String(u._id) === String(id)) : undefined)
  const community = unit(place.communityId)
  const fullPlace = { ...place, streetId: community?.streetId ?? null }
  const level = i.level ?? (category.defaultLevel as NeedLevel)
  const tz = community?.timezone || DEFAULT_TZ
  const handlers = await nextHandlers(fullPlace, level)
  const assignee = handlers[0] ?? null
  const sla = category.sla as NeedSla
  const photoIds = i.photoIds ?? []
  const id = new mongoose.Types.ObjectId()
  const no = await nextNeedNumber(String(place.communityId), now, tz)
  const acceptDueAt = slaDeadline(sla, i.urgency, 'accept', now)
  const need = (
    await Need.create({
      _id: id,
      ...fullPlace,
      ...i.extra,
      categoryId: category._id,
      categoryName: category.name,
      no,
      reporterId: i.reporter.id,
      reporterName: i.reporter.name,
      contactPhone: i.reporter.phone ?? null,
      title: i.title,
      description: i.description,
      location: [unit(place.courtyardId)?.name, unit(place.buildingId)?.name, i.location]
        .filter(Boolean)
        .join(' '),
      urgency: i.urgency,
      photoIds,
      status: 'submitted',
      level,
      assigneeId: assignee?.id ?? null,
      assigneeName: assignee?.name ?? null,
      timer: 'accept',
      deadlineAt: acceptDueAt,
      queueAt: acceptDueAt,
      sla,
      acceptDueAt,
      resolveDueAt: slaDeadline(sla, i.urgency, 'resolve', now),
      timeline: [
        entry({
          at: now,
          kind: 'submitted',
          ...i.submitted,
          public: true,
          status: 'submitted',
          level,
          photoIds,
        }),
        entry({
          at: now,
          kind: 'receipt',
          actorRole: 'system',
          actorName: '系统',
          note: receiptText(no, level, assignee?.name ?? null, acceptDueAt, tz),
          public: true,
          status: 'submitted',
          level,
        }),
      ],
    })
  ).toObject() as NeedDoc
  await writeDerived(need)
  await attachPhotos(photoIds, String(id))
  return { need, level, handlers, acceptDueAt }
}

/** A verified resident reports a need of their home's building; a similar recent one is offered first. */
export async function createNeed(actor: Actor, input: CreateNeedInput, deps?: AppDeps): Promise<NeedDetail> {
  const residency = requireVerifiedResident(actor)
  const category = (await NeedCategory.findOne({
    _id: input.categoryId,
    communityId: residency.communityId,
    active: true,
  }).lean()) as CategoryDoc | null
  if (!category) fail('NEED_CATEGORY_INVALID')
  await assertOwnFreePhotos(actor, input.photoIds)
  const now = new Date()
  if (!input.ignoreDuplicates && residency.buildingId) {
    const similar = await Need.find({
      buildingId: residency.buildingId,
      categoryId: input.categoryId,
      createdAt: { $gte: new Date(now.getTime() - NEED_DUPLICATE_WINDOW_DAYS * 86_400_000) },
      status: { $nin: ['withdrawn', 'duplicate', 'rejected'] },
    })
      .sort({ createdAt: -1 })
      .limit(5)
      .lean()
    if (similar.length)
      throw new AppError(
        'NEED_POSSIBLE_DUPLICATE',
        `同楼栋近${NEED_DUPLICATE_WINDOW_DAYS}天内已有${similar.length}件同类反映`,
        similar.map((s) => ({
          path: ['similar', String(s._id)],
          message: `${s.title}（${needStatusLabels[s.status as NeedStatus]}）`,
        })),
      )
  }
  const { need, level, handlers } = await openNeed(
    {
      place: {
        communityId: residency.communityId,
        gridId: residency.gridId,
        courtyardId: residency.courtyardId,
        buildingId: residency.buildingId,
      },
      category: category!,
      title: input.title,
      description: input.description,
      location: input.location,
      urgency: input.urgency,
      photoIds: input.photoIds,
      reporter: { id: actor.userId, name: actor.nickname, phone: input.contactPhone },
      submitted: {
        actorId: actor.userId,
        actorRole: 'resident',
        actorName: actor.nickname,
        note: input.description,
      },
    },
    now,
  )
  const notice = residentNotice(need, need.timeline[1] as never, '已收到您的反映')
  await notifyMany([...(notice ? [notice] : []), ...handlerNotices(need, level, handlers, '新的居民反映')])
  deps?.log.info({ needId: String(need._id), level }, 'need created')
  // A need just made has no summons (吹哨) yet.
  return toDetail(need, actor, [])
}
