import type { OperationDef, OperationId, RecordKind } from '@linli/shared-types'
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

type Projection = Record<string, 0 | 1>
type Located = { communityId: unknown; owner: unknown; doc: Record<string, unknown> } | null
type Loader = (id: string, handover?: Projection) => Promise<Located>

/**
 * Loads a record's community and owner field (ids are validated as 24-hex by the schemas), or, for
 * an operation whose handler takes the record over, what `handover` projects (`{}`: all of it).
 */
const locate =
  (model: { collection: Collection }, ownerField = '') =>
  async (id: string, handover?: Projection): Promise<Located> => {
    const doc = await model.collection.findOne(
      { _id: new Types.ObjectId(id) },
      { projection: handover ?? { communityId: 1, ...(ownerField ? { [ownerField]: 1 } : {}) } },
    )
    return doc ? { communityId: doc.communityId, owner: ownerField ? doc[ownerField] : null, doc } : null
  }

/**
 * Hot operations whose handler would read the very record the guard reads: the guard loads what the
 * handler needs and hands it over (`handed`), saving a round trip. Only the loaded document is
 * shared; the guard itself runs for every operation.
 */
const handovers: Partial<Record<OperationId, Projection>> = {
  castVote: {},
  getTopic: {},
  redeemReward: { stockTakers: 0, stockReturns: 0 },
}

/** The record the scope guard loaded for the handler, if it loaded one (an anonymous call loads none). */
export type Scoped = { record: RecordKind; doc: Record<string, unknown> } | null

/** The handed-over record of that kind, typed as the handler's lean document. */
export function handed<T>(scoped: Scoped, record: RecordKind): T | undefined {
  return scoped?.record === record ? (scoped.doc as T) : undefined
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
  id: OperationId,
  def: OperationDef,
  actor: Actor | null,
  input: { params: unknown; query: unknown; body: unknown },
): Promise<Scoped> {
  const scope = def.scope
  if (scope.kind === 'community') {
    if (!actor) return null
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
    if (!actor) return null
    const recordId = field(input.params, 'id')
    const spec = records[scope.record]
    const handover = handovers[id]
    const found = typeof recordId === 'string' ? await spec.load(recordId, handover) : null
    if (!found) throw new AppError('NOT_FOUND')
    const scoped = handover ? { record: scope.record, doc: found.doc } : null
    const owner = found.owner ? String(found.owner) : ''
    const owns =
      scope.owner === true &&
      !!owner &&
      (spec.ownedBy === 'merchant' ? merchantIds(actor).includes(owner) : owner === actor.userId)
    if (owns || reaches(actor, found.communityId, scope.reach)) return scoped
    if (def.method === 'get' && spec.readBy && (await spec.readBy(actor, recordId as string))) return scoped
    throw new AppError('NOT_FOUND')
  }
  return null
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined
