import { familyDelegableOps, Id, type OperationId } from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { loadActor } from '../auth/actor'
import { activeBinding } from './family.service'

const delegable = new Set<string>(familyDelegableOps)

/**
 * The actor a request runs as when a family member names an elder in `X-On-Behalf-Of`: the elder,
 * with the member kept as `delegate`. Only the operations in `familyDelegableOps` (never voting),
 * only over an active binding — after revocation the elder's records answer 404 again.
 */
export async function actAs(
  member: Actor,
  elderId: string,
  operationId: OperationId,
  mutating: boolean,
): Promise<Actor> {
  if (!delegable.has(operationId)) fail('ON_BEHALF_NOT_ALLOWED')
  if (!Id.safeParse(elderId).success || !(await activeBinding(member.userId, elderId)))
    throw new AppError('NOT_FOUND')
  const elder = await loadActor(elderId)
  if (!elder) throw new AppError('NOT_FOUND')
  const actor: Actor = { ...elder, delegate: { userId: member.userId, nickname: member.nickname } }
  if (mutating)
    await audit(
      actor,
      'family.actFor',
      { type: 'user', id: elderId, communityId: elder.residency.communityId },
      { operationId, memberId: member.userId, memberName: member.nickname },
    )
  return actor
}
