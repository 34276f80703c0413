/** Volunteer hours: a resident submits them, staff of the community approve (points by the rules) or reject. */
import {
  type PageQuery,
  type ReviewVolunteerHoursBody,
  rulePoints,
  type VolunteerHours,
  type VolunteerHoursInput,
} from '@linli/shared-types'
import type { z } from 'zod'
import { AppError, failField, found } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, requireVerifiedResident, scopeFilter } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { type HoursDoc, VolunteerHoursModel } from './points.model'
import { appliedRules, ruleFor } from './rules'

function hoursDto(h: HoursDoc & { createdAt: Date }): z.infer<typeof VolunteerHours> {
  return {
    id: String(h._id),
    userId: String(h.userId),
    communityId: String(h.communityId),
    activity: h.activity,
    date: h.date,
    hours: h.hours,
    status: h.status as 'pending',
    reviewReason: h.reviewReason ?? null,
    points: h.points ?? null,
    createdAt: h.createdAt.toISOString(),
  }
}

export async function submitHours(actor: Actor, body: z.infer<typeof VolunteerHoursInput>) {
  const residency = requireVerifiedResident(actor)
  const doc = await VolunteerHoursModel.create({
    ...body,
    userId: actor.userId,
    communityId: residency.communityId,
  })
  return hoursDto(doc.toObject() as HoursDoc & { createdAt: Date })
}

/** Staff review queue: submissions in reach, oldest first. */
export async function listHours(
  actor: Actor,
  query: PageQuery & {
    status?: 'pending' | 'approved' | 'rejected' | undefined
    communityId?: string | undefined
  },
) {
  // A requested community narrows the caller's reach; it never replaces it.
  if (query.communityId) assertInReach(actor, query.communityId)
  const filter: Record<string, unknown> = query.communityId
    ? { communityId: query.communityId }
    : { ...scopeFilter(actor) }
  if (query.status) filter.status = query.status
  const page = await paginate(VolunteerHoursModel, filter, { limit: query.limit, cursor: query.cursor })
  return {
    items: page.items.map((h) => hoursDto(h as HoursDoc & { createdAt: Date })),
    nextCursor: page.nextCursor,
  }
}

export async function reviewHours(
  actor: Actor,
  id: string,
  body: z.infer<typeof ReviewVolunteerHoursBody>,
  log?: Logger,
) {
  if (body.decision === 'reject' && !body.reason) failField('REASON_REQUIRED', 'reason', '驳回须填写原因')
  const existing = found(await VolunteerHoursModel.findById(id).lean())
  assertInReach(actor, existing.communityId)
  const rules = await appliedRules(existing.communityId)
  const rule = ruleFor(rules, 'volunteer.approved')
  const points =
    body.decision === 'approve' && rule?.enabled ? rulePoints('volunteer.approved', rule.points, existing) : 0
  const doc = await VolunteerHoursModel.findOneAndUpdate(
    { _id: id, status: 'pending' },
    {
      $set: {
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        reviewReason: body.reason ?? null,
        reviewedBy: actor.userId,
        reviewedAt: new Date(),
        points: body.decision === 'approve' ? points : null,
      },
    },
    { new: true },
  ).lean()
  if (!doc) throw new AppError('VOLUNTEER_HOURS_REVIEWED')
  await audit(
    actor,
    body.decision === 'approve' ? 'points.volunteer.approved' : 'points.volunteer.rejected',
    { type: 'volunteerHours', id, communityId: doc.communityId, name: doc.activity, userId: doc.userId },
    {
      hours: doc.hours,
      ...(body.reason ? { reason: body.reason } : {}),
    },
  )
  if (doc.status === 'approved')
    await emitEvent(
      {
        key: `volunteer.approved:${id}`,
        type: 'volunteer.approved',
        userId: String(doc.userId),
        communityId: String(doc.communityId),
        at: new Date(),
        data: { hours: doc.hours, refId: id },
      },
      log,
    )
  return hoursDto(doc as HoursDoc & { createdAt: Date })
}
