import {
  type CreateNeedOnBehalfInput,
  consentMethodLabels,
  DEFAULT_TZ,
  maskName,
  type NeedDetail,
  type NeedLevel,
  type NeedSla,
  needSourceLabels,
  slaDeadline,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { type CategoryDoc, Need, NeedCategory, type NeedDoc } from '../needs/need.model'
import { saveFacts } from '../needs/needs.facts'
import { nextNeedNumber } from '../needs/needs.numbers'
import { assertOwnFreePhotos, attachPhotos } from '../needs/needs.photos'
import { canHandle } from '../needs/needs.policy'
import {
  entry,
  nextHandlers,
  receiptText,
  tellHandlers,
  tellResident,
  toDetail,
} from '../needs/needs.service'
import { OrgUnit } from '../org/org-unit.model'
import { residentInReach } from './residents'

/** Where the need is: the resident's home, or the courtyard (and building) of a public matter. */
async function placeOf(actor: Actor, input: CreateNeedOnBehalfInput) {
  if (input.residentId) {
    const resident = await residentInReach(actor, input.residentId)
    if (!resident?.residency?.communityId) throw new AppError('NOT_FOUND', '居民不存在或不在您负责的范围内')
    const r = resident.residency
    return {
      resident,
      place: {
        communityId: r.communityId,
        gridId: r.gridId ?? null,
        courtyardId: r.courtyardId ?? null,
        buildingId: r.buildingId ?? null,
      },
    }
  }
  const courtyard = await OrgUnit.findOne({ _id: input.courtyardId, level: 'courtyard' }).lean()
  const building = input.buildingId
    ? await OrgUnit.findOne({
        _id: input.buildingId,
        level: 'building',
        courtyardId: input.courtyardId,
      }).lean()
    : null
  if (!courtyard || (input.buildingId && !building)) throw new AppError('NOT_FOUND')
  const place = {
    communityId: courtyard.communityId,
    gridId: courtyard.gridId,
    courtyardId: courtyard._id,
    buildingId: building?._id ?? null,
  }
  if (!canHandle(actor, place)) throw new AppError('NOT_FOUND')
  return { resident: null, place }
}

/**
 * A grid worker (or community staff) files what they found on patrol, heard by phone or at a home
 * visit: for a resident of their reach (who is its reporter, is notified and follows it in 我的反映;
 * the consent given is stored on the need and in the audit log) or as a public matter of a
 * courtyard. One need document, so it counts once in every stat.
 */
export async function createNeedOnBehalf(actor: Actor, input: CreateNeedOnBehalfInput): Promise<NeedDetail> {
  const { resident, place } = await placeOf(actor, input)
  const category = (await NeedCategory.findOne({
    _id: input.categoryId,
    communityId: place.communityId,
    active: true,
  }).lean()) as CategoryDoc | null
  if (!category) fail('NEED_CATEGORY_INVALID')
  await assertOwnFreePhotos(actor, input.photoIds)
  const [community, courtyard, building] = await Promise.all([
    OrgUnit.findById(place.communityId).lean(),
    place.courtyardId ? OrgUnit.findById(place.courtyardId).lean() : null,
    place.buildingId ? OrgUnit.findById(place.buildingId).lean() : null,
  ])
  const fullPlace = { ...place, streetId: community?.streetId ?? null }
  const level = category!.defaultLevel as NeedLevel
  const handlers = await nextHandlers(fullPlace, level)
  const assignee = handlers[0] ?? null
  const sla = category!.sla as NeedSla
  const now = new Date()
  const id = new mongoose.Types.ObjectId()
  const tz = community?.timezone || DEFAULT_TZ
  const no = await nextNeedNumber(place.communityId!, now, tz)
  const acceptDueAt = slaDeadline(sla, input.urgency, 'accept', now)
  const how = needSourceLabels[input.source]
  const consent = input.consent
  const forWhom = resident
    ? `代居民${maskName(resident.nickname)}反映（${consentMethodLabels[consent!.method]}）`
    : '登记为公共事项'
  const need = (
    await Need.create({
      _id: id,
      ...fullPlace,
      categoryId: category!._id,
      categoryName: category!.name,
      no,
      reporterId: resident?._id ?? null,
      reporterName: resident?.nickname ?? '',
      title: input.title,
      description: input.description,
      location: [courtyard?.name, building?.name, input.location].filter(Boolean).join(' '),
      urgency: input.urgency,
      photoIds: input.photoIds,
      filedBy: {
        userId: actor.userId,
        name: actor.nickname,
        source: input.source,
        consentMethod: consent?.method ?? null,
        consentNote: consent?.note ?? null,
      },
      status: 'submitted',
      level,
      assigneeId: assignee?.id ?? null,
      assigneeName: assignee?.name ?? null,
      timer: 'accept',
      deadlineAt: acceptDueAt,
      queueAt: acceptDueAt,
      sla,
      acceptDueAt,
      resolveDueAt: slaDeadline(sla, input.urgency, 'resolve', now),
      timeline: [
        entry({
          at: now,
          kind: 'submitted',
          actorId: actor.userId,
          actorRole: 'handler',
          actorName: actor.nickname,
          note: `${how}，${forWhom}：${input.description}`,
          public: true,
          status: 'submitted',
          level,
          photoIds: input.photoIds,
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
  await saveFacts(need)
  await attachPhotos(input.photoIds, String(id))
  await audit(
    actor,
    'need.fileOnBehalf',
    { type: 'need', id: String(id), communityId: place.communityId },
    {
      source: input.source,
      residentId: resident ? String(resident._id) : null,
      consentMethod: consent?.method ?? null,
      consentNote: consent?.note ?? null,
    },
  )
  if (resident) await tellResident(need, need.timeline[1] as never, `${actor.nickname}已代您反映`)
  await tellHandlers(need, level, handlers, resident ? '网格员代居民反映' : '网格员登记公共事项')
  return toDetail(need, actor)
}
