import {
  type DepartmentQueueItem,
  type NeedDetail,
  needSecondsLeft,
  openNeedStatuses,
  type WhistleState,
} from '@linli/shared-types'
import { AppError, fail, found } from '../../platform/errors'
import { decodeCursor, encodeCursor } from '../../platform/pagination'
import type { Actor } from '../../platform/policy'
import { Need, type NeedDoc, NeedWhistle, type WhistleDoc } from '../needs/need.model'
import { claim } from '../needs/needs.claims'
import { acceptNeed, replyNeed, resolveNeed } from '../needs/needs.handling'
import { needLink, toDetail, toSummary } from '../needs/needs.service'
import { auditNeed, handlerEntry, transition } from '../needs/needs.transitions'
import { notify } from '../notify/notify.service'
import { departmentStaff } from './departments.service'

/** A summons of one of the actor's departments; any other answers 404. */
async function ownWhistle(actor: Actor, id: string): Promise<WhistleDoc> {
  const w = (await NeedWhistle.findById(id).lean()) as WhistleDoc | null
  if (!w?.departmentId || !departmentStaff(actor).includes(String(w.departmentId)))
    throw new AppError('NOT_FOUND')
  return w
}

/** The whistle was checked before the need is changed, so the need's own chain check is skipped. */
const summoned = () => {}

const isOpen = (status: string) => (openNeedStatuses as readonly string[]).includes(status)

export async function listDepartmentQueue(
  actor: Actor,
  q: { limit: number; cursor?: string | undefined; state: WhistleState | 'open' },
): Promise<{ items: DepartmentQueueItem[]; nextCursor: string | null }> {
  const departments = departmentStaff(actor)
  if (!departments.length) return { items: [], nextCursor: null }
  const state = q.state === 'open' ? { $in: ['summoned', 'reportedIn'] } : q.state
  const filter: Record<string, unknown>[] = [{ departmentId: { $in: departments } }, { state }]
  if (q.cursor) {
    const { at: date, id } = decodeCursor(q.cursor)
    filter.push({ $or: [{ dueAt: { $gt: date } }, { dueAt: date, _id: { $gt: id } }] })
  }
  const rows = (await NeedWhistle.find({ $and: filter })
    .sort({ dueAt: 1, _id: 1 })
    .limit(q.limit + 1)
    .lean()) as WhistleDoc[]
  const page = rows.slice(0, q.limit)
  const needs = (await Need.find({ _id: { $in: page.map((w) => w.needId) } }).lean()) as unknown as NeedDoc[]
  const byId = new Map(needs.map((n) => [String(n._id), n]))
  const now = new Date()
  const items = page.flatMap((w) => {
    const need = byId.get(String(w.needId))
    if (!need) return []
    return [
      {
        whistleId: String(w._id),
        departmentId: String(w.departmentId),
        departmentName: w.department,
        state: w.state as WhistleState,
        dueAt: w.dueAt.toISOString(),
        secondsLeft: w.state === 'summoned' ? needSecondsLeft(w.dueAt, now) : null,
        reportedAt: w.reportedAt ? w.reportedAt.toISOString() : null,
        overdue: !!w.overdueAt || (w.state === 'summoned' && w.dueAt < now),
        need: toSummary(need, actor, now),
      },
    ]
  })
  const last = page.at(-1)
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.dueAt, last._id) : null,
  }
}

/** 报到: the department takes the summons on itself, once; a need nobody accepted yet is accepted. */
export async function reportIn(actor: Actor, id: string, note: string): Promise<NeedDetail> {
  const w = await ownWhistle(actor, id)
  if (w.state !== 'summoned') fail('NEED_ALREADY_REPORTED')
  const need = found((await Need.findById(w.needId).lean()) as NeedDoc | null)
  if (!isOpen(need.status)) fail('WHISTLE_STATE_CONFLICT', '该反映已办结或关闭，无需报到')
  if (!(await claim(`reportIn:${w._id}`))) fail('NEED_ALREADY_REPORTED')
  const reported = await NeedWhistle.findOneAndUpdate(
    { _id: w._id, state: 'summoned' },
    { $set: { state: 'reportedIn', reportedAt: new Date(), reportedBy: actor.userId, reportNote: note } },
    { new: true },
  ).lean()
  if (!reported) fail('NEED_ALREADY_REPORTED')
  const text = `${w.department}已报到：${note}`
  let detail: NeedDetail
  if (need.status === 'submitted' || need.status === 'reopened') {
    detail = await acceptNeed(actor, String(need._id), summoned, text)
  } else {
    const n = await transition(String(need._id), 'note', summoned, (nd, next, now) => ({
      entries: [handlerEntry(actor, nd, next, now, { kind: 'reportIn', note: text })],
      tell: '相关部门已报到',
    }))
    detail = await toDetail(n, actor)
  }
  await auditNeed(actor, 'reportIn', need, { whistleId: id, departmentId: String(w.departmentId) })
  return detail
}

const requireReported = (w: WhistleDoc) => {
  if (w.state !== 'reportedIn') fail('WHISTLE_STATE_CONFLICT', '请先报到')
}

export async function replyAsDepartment(
  actor: Actor,
  id: string,
  body: { note: string; public: boolean },
): Promise<NeedDetail> {
  const w = await ownWhistle(actor, id)
  requireReported(w)
  return replyNeed(actor, String(w.needId), { ...body, photoIds: [] }, summoned)
}

export async function resolveAsDepartment(actor: Actor, id: string, reply: string): Promise<NeedDetail> {
  const w = await ownWhistle(actor, id)
  requireReported(w)
  const detail = await resolveNeed(actor, String(w.needId), { reply, photoIds: [] }, summoned)
  await NeedWhistle.updateOne(
    { _id: w._id, state: 'reportedIn' },
    { $set: { state: 'resolved', resolvedAt: new Date() } },
  )
  return detail
}

/** The department hands the need back to the community that whistled, with its reason. */
export async function handBack(actor: Actor, id: string, reason: string): Promise<NeedDetail> {
  const w = await ownWhistle(actor, id)
  const back = await NeedWhistle.findOneAndUpdate(
    { _id: w._id, state: { $in: ['summoned', 'reportedIn'] } },
    { $set: { state: 'handedBack', handedBackAt: new Date(), handBackReason: reason } },
    { new: true },
  ).lean()
  if (!back) fail('WHISTLE_STATE_CONFLICT')
  const n = await transition(String(w.needId), 'note', summoned, (nd, next, now) => ({
    entries: [
      handlerEntry(actor, nd, next, now, {
        kind: 'handedBack',
        note: `${w.department}退回：${reason}`,
        public: false,
      }),
    ],
  }))
  await notify({
    userId: String(w.byId),
    communityId: String(w.communityId),
    kind: 'need.handedBack',
    title: `${w.department}退回：${n.title}`.slice(0, 60),
    body: reason.slice(0, 200),
    link: needLink(n._id),
    dedupeKey: `need.handedBack:${w._id}`,
  })
  await auditNeed(actor, 'handBack', n, { whistleId: id, reason })
  return toDetail(n, actor)
}
