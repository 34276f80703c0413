import {
  type ClaimStatus,
  maskName,
  maskPhone,
  type PageQuery,
  type ResidencyClaim as ResidencyClaimDto,
  type ResidencyClaimInput,
  type ResidencyStatus,
} from '@linli/shared-types'
import { AppError, fail, failField, found } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import { type Actor, assertInReach, scopeFilter } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'
import { OrgUnit } from '../org/org-unit.model'
import { recordConsent } from '../privacy/consent.model'
import { type ClaimDoc, ResidencyClaim } from './claim.model'

export async function submitClaim(actor: Actor, input: ResidencyClaimInput): Promise<ResidencyClaimDto> {
  if (actor.residency.status === 'verified') fail('RESIDENCY_ALREADY_VERIFIED')
  const [community, courtyard, building] = await Promise.all([
    OrgUnit.findOne({ _id: input.communityId, level: 'community' }).lean(),
    OrgUnit.findOne({ _id: input.courtyardId, level: 'courtyard' }).lean(),
    OrgUnit.findOne({ _id: input.buildingId, level: 'building' }).lean(),
  ])
  if (!community) throw new AppError('NOT_FOUND', '社区不存在')
  if (
    !courtyard ||
    !building ||
    String(courtyard.communityId) !== String(community._id) ||
    String(building.courtyardId) !== String(courtyard._id)
  )
    fail('ORG_UNIT_MISMATCH')
  // The consent is written before the personal data it covers.
  const { consentVersion, ...fields } = input
  await recordConsent(actor.userId, 'residencyClaim', consentVersion)
  let claim: ClaimDoc
  try {
    claim = (
      await ResidencyClaim.create({
        ...fields,
        userId: actor.userId,
        streetId: community.streetId,
        gridId: courtyard!.gridId,
        communityName: community.name,
        courtyardName: courtyard!.name,
        buildingName: building!.name,
        slot: `pending:${actor.userId}`,
      })
    ).toObject()
  } catch (error) {
    if (isDuplicateKey(error)) fail('RESIDENCY_CLAIM_PENDING')
    throw error
  }
  await User.updateOne(
    { _id: actor.userId, 'residency.status': { $ne: 'verified' } },
    { $set: { 'residency.status': 'pending', 'residency.claimId': claim!._id } },
  )
  return toDto(claim!)
}

export async function myResidency(
  actor: Actor,
): Promise<{ status: ResidencyStatus; claim: ResidencyClaimDto | null }> {
  const latest = await ResidencyClaim.findOne({ userId: actor.userId })
    .sort({ createdAt: -1, _id: -1 })
    .lean()
  return { status: actor.residency.status, claim: latest ? toDto(latest) : null }
}

export async function listClaims(actor: Actor, query: PageQuery & { status?: ClaimStatus | undefined }) {
  const filter = { ...scopeFilter(actor), ...(query.status ? { status: query.status } : {}) }
  const page = await paginate(ResidencyClaim, filter, { limit: query.limit, cursor: query.cursor })
  return { items: page.items.map((c) => toDto(c, { masked: true })), nextCursor: page.nextCursor }
}

/** Full details for the reviewing staff; the read of personal data is audited. */
export async function getClaim(actor: Actor, id: string): Promise<ResidencyClaimDto> {
  const claim = found(await ResidencyClaim.findById(id).lean())
  assertInReach(actor, claim.communityId)
  await audit(actor, 'residency.claim.view', {
    type: 'residencyClaim',
    id,
    communityId: claim.communityId,
    userId: claim.userId,
  })
  return toDto(claim)
}

export async function reviewClaim(
  actor: Actor,
  id: string,
  { decision, reason }: { decision: 'approve' | 'reject'; reason?: string | undefined },
): Promise<ResidencyClaimDto> {
  if (decision === 'reject' && !reason) failField('REASON_REQUIRED', 'reason', '驳回须填写原因')
  const existing = found(await ResidencyClaim.findById(id).lean())
  assertInReach(actor, existing.communityId)
  const status = decision === 'approve' ? 'approved' : 'rejected'
  // The status guard makes review happen once, even when two staff click at the same moment.
  const claim = await ResidencyClaim.findOneAndUpdate(
    { _id: id, status: 'pending' },
    {
      $set: {
        status,
        reviewReason: reason ?? null,
        reviewedBy: actor.userId,
        reviewedAt: new Date(),
        slot: id,
      },
    },
    { new: true },
  ).lean()
  if (!claim) throw new AppError('CLAIM_ALREADY_REVIEWED')
  await applyToUser(claim)
  await audit(
    actor,
    `residency.claim.${status}`,
    { type: 'residencyClaim', id, communityId: claim.communityId, userId: claim.userId },
    reason ? { reason } : {},
  )
  return toDto(claim)
}

/**
 * Carries a reviewed claim onto the user: residency cache and, when approved, the resident role.
 * Idempotent, so the residency sweeper can finish it if the process died right after the review.
 */
export async function applyToUser(claim: ClaimDoc): Promise<void> {
  if (claim.status === 'rejected') {
    await User.updateOne(
      { _id: claim.userId, 'residency.claimId': claim._id },
      { $set: { 'residency.status': 'rejected' } },
    )
    return
  }
  await User.updateOne(
    { _id: claim.userId },
    {
      $set: {
        residency: {
          status: 'verified',
          communityId: claim.communityId,
          gridId: claim.gridId,
          courtyardId: claim.courtyardId,
          buildingId: claim.buildingId,
          householdKey: `${claim.buildingId}:${claim.unit}:${claim.room}`,
          claimId: claim._id,
        },
      },
    },
  )
  await Membership.updateOne(
    { userId: claim.userId, role: 'resident', scopeId: claim.communityId },
    { $setOnInsert: { scopeType: 'community', scopeName: claim.communityName } },
    { upsert: true },
  )
}

function toDto(c: ClaimDoc, { masked = false } = {}): ResidencyClaimDto {
  return {
    id: String(c._id),
    userId: String(c.userId),
    communityId: String(c.communityId),
    communityName: c.communityName,
    courtyardName: c.courtyardName,
    buildingName: c.buildingName,
    unit: c.unit,
    room: c.room,
    realName: masked ? maskName(c.realName) : c.realName,
    phone: masked ? maskPhone(c.phone) : c.phone,
    status: c.status,
    reviewReason: c.reviewReason ?? null,
    reviewedAt: c.reviewedAt ? c.reviewedAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
  }
}
