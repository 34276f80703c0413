import {
  type CreateNeedOnBehalfInput,
  consentMethodLabels,
  maskName,
  type NeedDetail,
  needSourceLabels,
} from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { type CategoryDoc, NeedCategory } from '../needs/need.model'
import { openNeed } from '../needs/needs.intake'
import { assertOwnFreePhotos } from '../needs/needs.photos'
import { canHandle } from '../needs/needs.policy'
import { tellHandlers, tellResident, toDetail } from '../needs/needs.service'
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
  const consent = input.consent
  const forWhom = resident
    ? `代居民${maskName(resident.nickname)}反映（${consentMethodLabels[consent!.method]}）`
    : '登记为公共事项'
  const { need, level, handlers } = await openNeed({
    place,
    category: category!,
    title: input.title,
    description: input.description,
    location: input.location,
    urgency: input.urgency,
    photoIds: input.photoIds,
    reporter: { id: resident ? String(resident._id) : null, name: resident?.nickname ?? '' },
    submitted: {
      actorId: actor.userId,
      actorRole: 'handler',
      actorName: actor.nickname,
      note: `${needSourceLabels[input.source]}，${forWhom}：${input.description}`,
    },
    extra: {
      filedBy: {
        userId: actor.userId,
        name: actor.nickname,
        source: input.source,
        consentMethod: consent?.method ?? null,
        consentNote: consent?.note ?? null,
      },
    },
  })
  const id = need._id
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
