import type { OperationDef, RecordKind } from '@linli/shared-types'
import { type Collection, Types } from 'mongoose'
import { ActivityModel, SessionModel } from '../../modules/activities/activity.model'
import { Booking } from '../../modules/booking/booking.model'
import { Blackout, Space } from '../../modules/booking/space.model'
import { Day, Topic } from '../../modules/deliberation/deliberation.model'
import { HomeVisitModel } from '../../modules/grid/home-visit.model'
import { ItemModel } from '../../modules/lending/lending.model'
import { Merchant } from '../../modules/merchants/merchant.model'
import { Need, NeedWhistle } from '../../modules/needs/need.model'
import { NoticeModel } from '../../modules/notices/notice.model'
import { VolunteerHoursModel } from '../../modules/points/points.model'
import { Reward } from '../../modules/points/rewards.model'
import { ResidencyClaim } from '../../modules/residency/claim.model'
import { AppError, fail } from '../errors'
import { type Actor, isNewcomer, reaches } from '../policy'

type Located = { communityId: unknown; owner: unknown } | null
type Loader = (id: string) => Promise<Located>

/** Loads only a record's community and owner field (ids are validated as 24-hex by the schemas). */
const locate =
  (model: { collection: Collection }, ownerField = '') =>
  async (id: string): Promise<Located> => {
    const doc = await model.collection.findOne(
      { _id: new Types.ObjectId(id) },
      { projection: { communityId: 1, ...(ownerField ? { [ownerField]: 1 } : {}) } },
    )
    return doc ? { communityId: doc.communityId, owner: ownerField ? doc[ownerField] : null } : null
  }

/** Where each record kind keeps its community and who owns it (a user, or a merchant for rewards). */
const records: Record<RecordKind, { load: Loader; ownedBy?: 'merchant'; readBy?: Reader }> = {
  topic: { load: locate(Topic, 'proposerId') },
  deliberationDay: { load: locate(Day) },
  need: { load: locate(Need, 'reporterId'), readBy: whistledTo },
  booking: { load: locate(Booking, 'userId') },
  space: { load: locate(Space) },
  blackout: { load: locate(Blackout) },
  residencyClaim: { load: locate(ResidencyClaim, 'userId') },
  volunteerHours: { load: locate(VolunteerHoursModel, 'userId') },
  reward: { load: locate(Reward, 'merchantId'), ownedBy: 'merchant' },
  activity: { load: locate(ActivityModel) },
  activitySession: { load: locate(SessionModel) },
  item: { load: locate(ItemModel) },
  notice: { load: locate(NoticeModel) },
  homeVisit: { load: locate(HomeVisitModel) },
  merchant: { load: locate(Merchant) },
}

/**
 * Who else may read a record (GET) outside the community reach: a department's staff (who reach no
 * community) read a need whistled to their department; the service narrows what they see.
 */
type Reader = (actor: Actor, id: string) => Promise<boolean>

async function whistledTo(actor: Actor, id: string): Promise<boolean> {
  const departments = actor.memberships
    .filter((m) => m.role === 'deptStaff' && m.scopeId)
    .map((m) => m.scopeId)
  if (!departments.length) return false
  return !!(await NeedWhistle.exists({ needId: new Types.ObjectId(id), departmentId: { $in: departments } }))
}

const merchantIds = (actor: Actor) =>
  actor.memberships.filter((m) => m.role === 'merchant' && m.scopeId).map((m) => m.scopeId)

/**
 * The object-level guard every operation goes through (declared as `scope` in shared-types): a
 * community or record outside the caller's reach answers 404 before any handler runs, exactly like a
 * missing one. Someone with no role at all (a resident not yet verified) is told so on a community,
 * which is public, but never learns whether a record exists.
 */
export async function enforceScope(
  def: OperationDef,
  actor: Actor | null,
  input: { params: unknown; query: unknown; body: unknown },
): Promise<void> {
  const scope = def.scope
  if (scope.kind === 'community') {
    if (!actor) return
    const ids = [
      field(input.query, 'communityId'),
      field(input.body, 'communityId'),
      scope.idIn === 'path' ? field(input.params, 'id') : undefined,
    ].filter((id): id is string => typeof id === 'string')
    for (const id of ids)
      if (!reaches(actor, id, scope.reach)) {
        if (scope.reach === 'member' && isNewcomer(actor)) fail('RESIDENT_NOT_VERIFIED')
        throw new AppError('NOT_FOUND')
      }
  }
  if (scope.kind === 'record') {
    if (!actor) return
    const id = field(input.params, 'id')
    const spec = records[scope.record]
    const doc = typeof id === 'string' ? await spec.load(id) : null
    if (!doc) throw new AppError('NOT_FOUND')
    const owner = doc.owner ? String(doc.owner) : ''
    const owns =
      scope.owner === true &&
      !!owner &&
      (spec.ownedBy === 'merchant' ? merchantIds(actor).includes(owner) : owner === actor.userId)
    if (owns || reaches(actor, doc.communityId, scope.reach)) return
    if (def.method === 'get' && spec.readBy && (await spec.readBy(actor, id as string))) return
    throw new AppError('NOT_FOUND')
  }
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined
