import {
  type ConsentMethod,
  canReopenNeed,
  consentMethodLabels,
  formatTime,
  maskName,
  maskPhone,
  type NeedDetail,
  type NeedLevel,
  type NeedSla,
  type NeedStatus,
  type NeedSummary,
  type NeedTimer,
  type NeedUrgency,
  needLevelLabels,
  needSecondsLeft,
  needSourceLabels,
  needStatusLabels,
  needTimerFor,
  type PageQuery,
  slaDeadline,
  type WhistleState,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import { AppError, found } from '../../platform/errors'
import { paginate } from '../../platform/pagination'
import { type Actor, communitiesInReach } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { departmentStaff } from '../departments/departments.service'
import { type NotifyInput, notify, notifyMany } from '../notify/notify.service'
import { OrgUnit } from '../org/org-unit.model'
import {
  type CategoryDoc,
  Need,
  NeedCategory,
  type NeedDoc,
  NeedWhistle,
  type WhistleDoc,
} from './need.model'
import { categoryDto, ensureDefaultCategories } from './needs.categories'
import { assertCanSee, canHandle, handlersAt, isReporter, type NeedPlace } from './needs.policy'

/** Far-future queue key for needs without a running timer, so they sort last. */
export const NO_DEADLINE = new Date('9999-12-31T00:00:00Z')

export type Entry = {
  _id: mongoose.Types.ObjectId
  at: Date
  kind: string
  actorId: string | null
  actorRole: 'resident' | 'handler' | 'system'
  actorName: string
  note: string
  public: boolean
  status: NeedStatus
  level: NeedLevel
  photoIds: string[]
}

export function entry(e: Omit<Entry, '_id' | 'photoIds' | 'actorId' | 'actorName'> & Partial<Entry>): Entry {
  return { _id: new mongoose.Types.ObjectId(), actorId: null, actorName: '', photoIds: [], ...e }
}

/** The running timer for a status and its deadline (or none). */
export function timerFields(
  need: Pick<NeedDoc, 'sla' | 'urgency' | 'firstReplyAt'> & { resolveDueAt?: Date | null },
  status: NeedStatus,
  now: Date,
  firstReplyDone = !!need.firstReplyAt,
): { timer: NeedTimer | null; deadlineAt: Date | null; queueAt: Date } {
  const timer = needTimerFor(status, firstReplyDone)
  if (!timer) return { timer: null, deadlineAt: null, queueAt: NO_DEADLINE }
  const deadlineAt =
    timer === 'resolve' && need.resolveDueAt
      ? need.resolveDueAt
      : slaDeadline(need.sla as NeedSla, need.urgency as NeedUrgency, timer, now)
  return { timer, deadlineAt, queueAt: deadlineAt }
}

// ---- reading -------------------------------------------------------------------------------------

/** Full name and phone only for the reporter and the assigned handler; masked for everyone else. */
const seesPersonalData = (actor: Actor | null, n: NeedDoc) =>
  !!actor && (isReporter(actor, n) || (!!n.assigneeId && String(n.assigneeId) === actor.userId))

export function toSummary(n: NeedDoc, actor: Actor | null, now = new Date(), full = false): NeedSummary {
  const show = full && seesPersonalData(actor, n)
  return {
    id: String(n._id),
    no: n.no,
    communityId: String(n.communityId),
    categoryId: String(n.categoryId),
    categoryName: n.categoryName,
    title: n.title,
    status: n.status as NeedStatus,
    level: n.level as NeedLevel,
    urgency: n.urgency as NeedUrgency,
    location: n.location ?? '',
    reporterName: show ? n.reporterName : n.reporterName ? maskName(n.reporterName) : '',
    timer: (n.timer as NeedTimer | null) ?? null,
    deadlineAt: n.deadlineAt ? n.deadlineAt.toISOString() : null,
    secondsLeft: n.deadlineAt ? needSecondsLeft(n.deadlineAt, now) : null,
    assigneeName: n.assigneeName ?? null,
    rating: n.rating ?? null,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  }
}

export async function toDetail(n: NeedDoc, actor: Actor, known?: WhistleDoc[]): Promise<NeedDetail> {
  const handler = canHandle(actor, n)
  const show = seesPersonalData(actor, n)
  const whistles = known ?? (await NeedWhistle.find({ needId: n._id }).sort({ createdAt: 1 }).lean())
  return {
    ...toSummary(n, actor, new Date(), true),
    description: n.description,
    contactPhone: n.contactPhone ? (show ? n.contactPhone : maskPhone(n.contactPhone)) : null,
    photoIds: (n.photoIds ?? []).map(String),
    reopenCount: n.reopenCount ?? 0,
    canReopen:
      isReporter(actor, n) &&
      canReopenNeed({ status: n.status as NeedStatus, rating: n.rating ?? null, reopenCount: n.reopenCount }),
    ratingComment: n.ratingComment ?? null,
    referredTo: n.referredTo ?? null,
    duplicateOf: n.duplicateOf ? String(n.duplicateOf) : null,
    duplicates: (n.duplicates ?? []).map(String),
    whistles: whistles.map((w) => ({
      id: String(w._id),
      departmentId: w.departmentId ? String(w.departmentId) : null,
      department: w.department,
      level: (w.level as NeedLevel | null) ?? null,
      state: w.state as WhistleState,
      dueAt: w.dueAt.toISOString(),
      reportedAt: w.reportedAt ? w.reportedAt.toISOString() : null,
      reportNote: w.reportNote ?? null,
      overdueAt: w.overdueAt ? w.overdueAt.toISOString() : null,
      handBackReason: w.handBackReason ?? null,
    })),
    filedBy: n.filedBy
      ? {
          name: n.filedBy.name,
          source: needSourceLabels[n.filedBy.source],
          consent: n.filedBy.consentMethod
            ? consentMethodLabels[n.filedBy.consentMethod as ConsentMethod]
            : null,
        }
      : null,
    timeline: (n.timeline ?? [])
      .filter((e) => handler || e.public)
      .map((e) => ({
        id: String(e._id),
        at: e.at.toISOString(),
        kind: e.kind,
        actorRole: e.actorRole as 'resident' | 'handler' | 'system',
        actorName: e.actorRole === 'resident' && !show ? maskName(e.actorName || '居民') : e.actorName,
        note: e.note ?? '',
        public: e.public ?? true,
        status: e.status as NeedStatus,
        level: e.level as NeedLevel,
        photoIds: (e.photoIds ?? []).map(String),
      })),
  }
}

/**
 * A need the actor may see (its reporter, a handler up the chain, or the staff of a department it
 * was whistled to); anything else is 404.
 */
export async function loadVisible(actor: Actor, id: string): Promise<NeedDoc> {
  const need = found((await Need.findById(id).lean()) as NeedDoc | null)
  const departments = departmentStaff(actor)
  if (
    departments.length &&
    !isReporter(actor, need) &&
    !canHandle(actor, need) &&
    (await NeedWhistle.exists({ needId: need._id, departmentId: { $in: departments } }))
  )
    return need
  assertCanSee(actor, need)
  return need
}

export async function getNeed(actor: Actor, id: string): Promise<NeedDetail> {
  const need = await loadVisible(actor, id)
  if (canHandle(actor, need) && seesPersonalData(actor, need) && !isReporter(actor, need))
    await audit(actor, 'need.view', { type: 'need', id, communityId: need.communityId })
  return toDetail(need, actor)
}

export async function listMyNeeds(actor: Actor, query: PageQuery) {
  const page = await paginate(Need, { reporterId: actor.userId } as never, {
    limit: query.limit,
    cursor: query.cursor,
    order: 'desc',
  })
  const now = new Date()
  return { items: page.items.map((n) => toSummary(n as NeedDoc, actor, now)), nextCursor: page.nextCursor }
}

export async function listCategories(actor: Actor, communityId?: string, includeInactive = false) {
  const id = communityId ?? actor.residency.communityId ?? Object.values(actor.reach).flat()[0]
  if (!id) return { items: [] }
  if (!(await OrgUnit.exists({ _id: id, level: 'community' }))) throw new AppError('NOT_FOUND', '社区不存在')
  await ensureDefaultCategories(id)
  // Switched-off categories only for the staff who edit this community's catalogue.
  const reach = communitiesInReach(actor)
  const all = includeInactive && (reach === 'all' || reach.includes(id))
  const rows = (await NeedCategory.find({ communityId: id, ...(all ? {} : { active: true }) })
    .sort({ sortOrder: 1, _id: 1 })
    .lean()) as CategoryDoc[]
  return { items: rows.map(categoryDto) }
}

// ---- notifications -------------------------------------------------------------------------------

export const needLink = (id: unknown) => `/packages/needs/detail/index?id=${id}`

/** Tells the resident about a public step (inbox + subscribe message), once per timeline entry. */
export async function tellResident(n: NeedDoc, e: Entry, title: string): Promise<void> {
  const notice = residentNotice(n, e, title)
  if (notice) await notify(notice)
}

export function residentNotice(n: NeedDoc, e: Entry, title: string): NotifyInput | null {
  if (!n.reporterId) return null
  return {
    userId: String(n.reporterId),
    communityId: String(n.communityId),
    kind: `need.${e.kind}`,
    title,
    body: e.note.slice(0, 200),
    link: needLink(n._id),
    dedupeKey: `need.${e.kind}:${e._id}`,
    subscribe: {
      template: 'need_progress',
      data: { title: n.title.slice(0, 20), status: needStatusLabels[e.status], note: e.note.slice(0, 20) },
    },
  }
}

/** Tells the handlers of a level that a need is now theirs; once per need, level and person. */
export function tellHandlers(
  n: NeedPlace & { _id: unknown; title: string },
  level: NeedLevel,
  handlers: { id: string }[],
  reason: string,
): Promise<number> {
  return notifyMany(handlerNotices(n, level, handlers, reason))
}

export function handlerNotices(
  n: NeedPlace & { _id: unknown; title: string },
  level: NeedLevel,
  handlers: { id: string }[],
  reason: string,
): NotifyInput[] {
  return handlers.map((h) => ({
    userId: h.id,
    communityId: String(n.communityId),
    kind: 'need.assigned',
    title: `${reason}：${n.title}`.slice(0, 60),
    body: `请在时限内受理（${needLevelLabels[level]}）`,
    link: needLink(n._id),
    dedupeKey: `need.assigned:${n._id}:${level}:${h.id}`,
    subscribe: {
      template: 'need_assigned',
      data: { title: n.title.slice(0, 20), level: needLevelLabels[level] },
    },
  }))
}

/** Handlers of the level, or of the nearest level above when nobody holds that one. */
export async function nextHandlers(n: NeedPlace, level: NeedLevel) {
  const order: NeedLevel[] = ['courtyard', 'grid', 'community', 'street']
  for (const l of order.slice(order.indexOf(level))) {
    const found = await handlersAt(n, l)
    if (found.length) return found
  }
  return []
}

export function receiptText(
  no: string,
  level: NeedLevel,
  assignee: string | null,
  due: Date,
  tz: string,
): string {
  const when = formatTime(due, { tz, style: 'calendar' })
  const who = assignee ? `${needLevelLabels[level]}${assignee}` : needLevelLabels[level]
  return `已收到您的反映（编号${no}），已转${who}，将于${when}前受理。`
}
