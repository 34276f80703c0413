import {
  type AuditAction,
  type ConsentMethod,
  type CreateNeedInput,
  canRaiseLevel,
  canReopenNeed,
  consentMethodLabels,
  DEFAULT_TZ,
  formatTime,
  maskName,
  maskPhone,
  NEED_DUPLICATE_WINDOW_DAYS,
  type NeedAction,
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
  nextNeedStatus,
  openNeedStatuses,
  type PageQuery,
  slaDeadline,
  type WhistleState,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import type { AppDeps } from '../../platform/deps'
import { AppError, fail, found } from '../../platform/errors'
import { emitEvent } from '../../platform/events'
import { allOf } from '../../platform/filters'
import { paginate } from '../../platform/pagination'
import { type Actor, communitiesInReach, requireVerifiedResident } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Membership } from '../auth/membership.model'
import { assertWhistleTarget, departmentStaff } from '../departments/departments.service'
import { type NotifyInput, notify, notifyMany } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
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
import { claim, releaseIfStale, withStats } from './needs.claims'
import { saveFacts } from './needs.facts'
import { nextNeedNumber } from './needs.numbers'
import { assertOwnFreePhotos, attachPhotos } from './needs.photos'
import {
  assertCanHandle,
  assertCanSee,
  canHandle,
  handlerFilter,
  handlersAt,
  isReporter,
  type NeedPlace,
} from './needs.policy'

/** Far-future queue key for needs without a running timer, so they sort last. */
export const NO_DEADLINE = new Date('9999-12-31T00:00:00Z')
const MINUTE = 60_000

type Entry = {
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

/** `{$or: [branch]}` as the branch itself, and `{$in: [x]}` as x: the same filter, flatter. */
function single(filter: Record<string, unknown>): Record<string, unknown> {
  const or = filter.$or as Record<string, unknown>[] | undefined
  if (!or || or.length !== 1 || Object.keys(filter).length !== 1) return filter
  return Object.fromEntries(
    Object.entries(or[0]!).map(([k, v]) => {
      const list = (v as { $in?: unknown[] } | null)?.$in
      return [
        k,
        Array.isArray(list) && list.length === 1 && Object.keys(v as object).length === 1 ? list[0] : v,
      ]
    }),
  )
}

/** The handling queue: needs in the actor's reach, nearest deadline first, keyset on (queueAt, _id). */
export async function listForHandling(
  actor: Actor,
  query: {
    limit: number
    cursor?: string | undefined
    status: NeedStatus | 'open'
    level?: NeedLevel | undefined
  },
) {
  const scope = handlerFilter(actor)
  if (!scope) return { items: [], nextCursor: null }
  // One query per status, each an equality: FerretDB v1 pushes top-level equalities down to its
  // backend and nothing else (no `$in`, no `$or`), so the open queue never decodes closed needs.
  const statuses = query.status === 'open' ? [...openNeedStatuses] : [query.status]
  const filter: Record<string, unknown>[] = [single(scope)]
  if (query.level) filter.push({ level: query.level })
  if (query.cursor) {
    const [at, id] = Buffer.from(query.cursor, 'base64url').toString().split('|')
    const date = new Date(at ?? '')
    if (!id || !/^[0-9a-f]{24}$/.test(id) || Number.isNaN(date.getTime()))
      throw new AppError('VALIDATION_FAILED', 'cursor 无效')
    filter.push({ $or: [{ queueAt: { $gt: date } }, { queueAt: date, _id: { $gt: id } }] })
  }
  const pages = await Promise.all(
    statuses.map(
      (status) =>
        Need.find(allOf(...filter, { status }))
          .sort({ queueAt: 1, _id: 1 })
          .limit(query.limit + 1)
          .lean() as unknown as Promise<NeedDoc[]>,
    ),
  )
  const rows = pages
    .flat()
    .sort((a, b) => a.queueAt.getTime() - b.queueAt.getTime() || (String(a._id) < String(b._id) ? -1 : 1))
    .slice(0, query.limit + 1)
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  const now = new Date()
  return {
    items: items.map((n) => toSummary(n, actor, now)),
    nextCursor:
      rows.length > query.limit && last
        ? Buffer.from(`${last.queueAt.toISOString()}|${last._id}`).toString('base64url')
        : null,
  }
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

function residentNotice(n: NeedDoc, e: Entry, title: string): NotifyInput | null {
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

function handlerNotices(
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

// ---- creating ------------------------------------------------------------------------------------

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
      createdAt: { $gte: new Date(now.getTime() - NEED_DUPLICATE_WINDOW_DAYS * 24 * 60 * MINUTE) },
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
  // The community, courtyard and building in one read; the reporter's name is the actor's.
  const placeIds = [residency.communityId, residency.courtyardId, residency.buildingId].filter(
    (x): x is string => !!x,
  )
  const units = await OrgUnit.find({ _id: { $in: placeIds } }, { name: 1, streetId: 1, timezone: 1 }).lean()
  const unit = (id: string | null) => (id ? units.find((u) => String(u._id) === id) : undefined)
  const [community, courtyard, building] = [
    unit(residency.communityId),
    unit(residency.courtyardId),
    unit(residency.buildingId),
  ]
  const place = {
    communityId: residency.communityId,
    streetId: community?.streetId ?? null,
    gridId: residency.gridId,
    courtyardId: residency.courtyardId,
    buildingId: residency.buildingId,
  }
  const level = category!.defaultLevel as NeedLevel
  const tz = community?.timezone || DEFAULT_TZ
  const handlers = await nextHandlers(place, level)
  const assignee = handlers[0] ?? null
  const sla = category!.sla as NeedSla
  const urgency = input.urgency
  const id = new mongoose.Types.ObjectId()
  const no = await nextNeedNumber(residency.communityId, now, tz)
  const reporterName = actor.nickname
  const acceptDueAt = slaDeadline(sla, urgency, 'accept', now)
  const location = [courtyard?.name, building?.name, input.location].filter(Boolean).join(' ')
  const need = (
    await Need.create({
      _id: id,
      ...place,
      categoryId: category!._id,
      categoryName: category!.name,
      no,
      reporterId: actor.userId,
      reporterName,
      contactPhone: input.contactPhone ?? null,
      title: input.title,
      description: input.description,
      location,
      urgency,
      photoIds: input.photoIds,
      status: 'submitted',
      level,
      assigneeId: assignee?.id ?? null,
      assigneeName: assignee?.name ?? null,
      timer: 'accept',
      deadlineAt: acceptDueAt,
      queueAt: acceptDueAt,
      sla,
      acceptDueAt,
      resolveDueAt: slaDeadline(sla, urgency, 'resolve', now),
      timeline: [
        entry({
          at: now,
          kind: 'submitted',
          actorId: actor.userId,
          actorRole: 'resident',
          actorName: reporterName,
          note: input.description,
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
  const receipt = need.timeline[1] as unknown as Entry
  const notice = residentNotice(need, receipt, '已收到您的反映')
  await notifyMany([...(notice ? [notice] : []), ...handlerNotices(need, level, handlers, '新的居民反映')])
  deps?.log.info({ needId: String(id), level }, 'need created')
  // A need just made has no summons (吹哨) yet.
  return toDetail(need, actor, [])
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

// ---- transitions ---------------------------------------------------------------------------------

interface Change {
  set?: Record<string, unknown>
  entries: Entry[]
  addToSet?: Record<string, unknown>
  /** Title for the resident's notification about the first public entry; none: no notification. */
  tell?: string
}

/**
 * Applies one action: re-reads the need, checks who may act and whether the status machine allows
 * it, then writes status + timeline in one update guarded on the revision read. A lost race re-reads
 * and re-checks, so two workers accepting at once leave one winner and one 409.
 */
export async function transition(
  id: string,
  action: NeedAction,
  authorize: (n: NeedDoc) => void,
  build: (n: NeedDoc, next: NeedStatus, now: Date) => Change,
): Promise<NeedDoc> {
  let change: Change = { entries: [] }
  const updated = await mutateNeed(id, (need, now) => {
    authorize(need)
    const next = nextNeedStatus(need.status as NeedStatus, action)
    if (!next)
      throw new AppError(
        'NEED_INVALID_TRANSITION',
        `${needStatusLabels[need.status as NeedStatus]}的反映不能执行此操作`,
      )
    change = build(need, next, now)
    return {
      $set: withStats(need.stat, { status: next, ...change.set }),
      $push: { timeline: { $each: change.entries } },
      ...(change.addToSet ? { $addToSet: change.addToSet } : {}),
    }
  })
  const first = change.entries.find((e) => e.public)
  if (change.tell && first) await tellResident(updated, first, change.tell)
  return updated
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The one way a need is changed: read it, let `plan` check and build the update (it may throw),
 * claim the revision read (a unique insert: one claimer per revision on every engine), then write
 * guarded on that revision with `rev` bumped. Losers re-read and re-check, so a second accept of
 * the same need sees it accepted and answers 409.
 */
export async function mutateNeed(
  id: string,
  plan: (need: NeedDoc, now: Date) => Record<string, unknown>,
): Promise<NeedDoc> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const need = found((await Need.findById(id).lean()) as NeedDoc | null)
    const now = new Date()
    const update = plan(need, now)
    const key = `${id}:${need.rev}`
    if (!(await claim(key, now))) {
      await releaseIfStale(key, now)
      await pause(10 + Math.random() * 20 * Math.min(attempt + 1, 5))
      continue
    }
    const updated = (await Need.findOneAndUpdate(
      { _id: id, rev: need.rev },
      { ...update, $inc: { rev: 1 } },
      {
        new: true,
      },
    ).lean()) as NeedDoc | null
    if (updated) {
      await saveFacts(updated)
      return updated
    }
  }
  throw new AppError('NEED_INVALID_TRANSITION', '反映正在被他人处理，请刷新后重试')
}

export const handlerEntry = (actor: Actor, n: NeedDoc, next: NeedStatus, now: Date, e: Partial<Entry>) =>
  entry({
    at: now,
    kind: 'note',
    actorId: actor.userId,
    actorRole: 'handler',
    actorName: actor.nickname,
    note: '',
    public: true,
    status: next,
    level: n.level as NeedLevel,
    ...e,
  })

const handle = (actor: Actor) => (n: NeedDoc) => assertCanHandle(actor, n)
const own = (actor: Actor) => (n: NeedDoc) => {
  if (!isReporter(actor, n)) throw new AppError('NOT_FOUND')
}
const minutesSince = (from: Date, now: Date) =>
  Math.max(0, Math.round((now.getTime() - from.getTime()) / MINUTE))

type NeedAuditVerb = Extract<AuditAction, `need.${string}`> extends `need.${infer V}` ? V : never

export async function auditNeed(
  actor: Actor,
  action: NeedAuditVerb,
  n: NeedDoc,
  detail: Record<string, unknown> = {},
) {
  await audit(
    actor,
    `need.${action}`,
    { type: 'need', id: String(n._id), communityId: n.communityId, name: n.no, userId: n.reporterId },
    detail,
  )
}

/** Accepts a need; `authorize` defaults to the handling chain (a department checks its summons). */
export async function acceptNeed(
  actor: Actor,
  id: string,
  authorize: (n: NeedDoc) => void = handle(actor),
  note = `${actor.nickname}已受理`,
): Promise<NeedDetail> {
  const n = await transition(id, 'accept', authorize, (need, next, now) => {
    const first = !need.acceptedAt
    return {
      set: {
        assigneeId: actor.userId,
        assigneeName: actor.nickname,
        acceptedAt: now,
        firstReplyAt: null,
        ...timerFields(need, next, now, false),
        ...(first
          ? {
              'stat.acceptCount': 1,
              'stat.acceptMinutes': minutesSince(need.createdAt, now),
              'stat.acceptedOnTime': now <= need.acceptDueAt ? 1 : 0,
            }
          : {}),
      },
      entries: [handlerEntry(actor, need, next, now, { kind: 'accepted', note })],
      tell: '您的反映已受理',
    }
  })
  await auditNeed(actor, 'accept', n)
  return toDetail(n, actor)
}

export async function replyNeed(
  actor: Actor,
  id: string,
  body: { note: string; public: boolean; photoIds: string[] },
  authorize: (n: NeedDoc) => void = handle(actor),
): Promise<NeedDetail> {
  await assertOwnFreePhotos(actor, body.photoIds)
  const n = await transition(id, body.public ? 'reply' : 'note', authorize, (need, next, now) => {
    const firstReply = body.public && !need.firstReplyAt
    return {
      set: body.public
        ? { ...(firstReply ? { firstReplyAt: now } : {}), ...timerFields(need, next, now, true) }
        : {},
      entries: [
        handlerEntry(actor, need, next, now, {
          kind: body.public ? 'reply' : 'note',
          note: body.note,
          public: body.public,
          photoIds: body.photoIds,
        }),
      ],
      ...(body.public ? { tell: '您的反映有新的答复' } : {}),
    }
  })
  await attachPhotos(body.photoIds, id)
  await auditNeed(actor, body.public ? 'reply' : 'note', n)
  return toDetail(n, actor)
}

export async function resolveNeed(
  actor: Actor,
  id: string,
  body: { reply?: string | undefined; photoIds: string[] },
  authorize: (n: NeedDoc) => void = handle(actor),
): Promise<NeedDetail> {
  if (!body.reply) fail('NEED_REPLY_REQUIRED')
  await assertOwnFreePhotos(actor, body.photoIds)
  const n = await transition(id, 'resolve', authorize, (need, next, now) => {
    const first = !need.resolvedAt
    return {
      set: {
        resolvedAt: now,
        firstReplyAt: need.firstReplyAt ?? now,
        ...timerFields(need, next, now),
        'stat.resolvedKept': (need.reopenCount ?? 0) === 0 ? 1 : 0,
        ...(first
          ? { 'stat.resolveCount': 1, 'stat.resolveMinutes': minutesSince(need.createdAt, now) }
          : {}),
      },
      entries: [
        handlerEntry(actor, need, next, now, {
          kind: 'resolved',
          note: body.reply!,
          photoIds: body.photoIds,
        }),
      ],
      tell: '您的反映已办结，请评价',
    }
  })
  await attachPhotos(body.photoIds, id)
  await auditNeed(actor, 'resolve', n)
  return toDetail(n, actor)
}

export async function referNeed(actor: Actor, id: string, body: { to: string; note: string }) {
  const n = await transition(id, 'refer', handle(actor), (need, next, now) => ({
    set: { referredTo: body.to, ...timerFields(need, next, now) },
    entries: [
      handlerEntry(actor, need, next, now, { kind: 'referred', note: `已转办至${body.to}：${body.note}` }),
    ],
    tell: '您的反映已转办',
  }))
  await auditNeed(actor, 'refer', n, { to: body.to })
  return toDetail(n, actor)
}

export async function markDuplicate(
  actor: Actor,
  id: string,
  body: { duplicateOf: string; note?: string | undefined },
) {
  // The need itself first: one out of reach is 404 whatever the target.
  assertCanHandle(actor, found((await Need.findById(id).lean()) as NeedDoc | null))
  if (body.duplicateOf === id) fail('NEED_DUPLICATE_TARGET_INVALID')
  const original = (await Need.findById(body.duplicateOf).lean()) as NeedDoc | null
  if (!original || !canHandle(actor, original)) fail('NEED_DUPLICATE_TARGET_INVALID')
  if (['withdrawn', 'duplicate'].includes(original!.status)) fail('NEED_DUPLICATE_TARGET_INVALID')
  const n = await transition(
    id,
    'markDuplicate',
    (need) => {
      assertCanHandle(actor, need)
      if (String(need.communityId) !== String(original!.communityId)) fail('NEED_DUPLICATE_TARGET_INVALID')
    },
    (need, next, now) => ({
      set: {
        duplicateOf: original!._id,
        'stat.counted': 0,
        'stat.acceptedOnTime': 0,
        'stat.resolvedKept': 0,
        ...timerFields(need, next, now),
      },
      entries: [
        handlerEntry(actor, need, next, now, {
          kind: 'duplicate',
          note: `与反映${original!.no}（${original!.title}）重复，将合并办理${body.note ? `：${body.note}` : ''}`,
        }),
      ],
      tell: '您的反映已合并办理',
    }),
  )
  await mutateNeed(String(original!._id), (o, now) => ({
    $addToSet: { duplicates: n._id },
    $push: {
      timeline: entry({
        at: now,
        kind: 'linked',
        actorId: actor.userId,
        actorRole: 'handler',
        actorName: actor.nickname,
        note: `反映${n.no}与本件重复，已合并`,
        public: false,
        status: o.status as NeedStatus,
        level: o.level as NeedLevel,
      }),
    },
  }))
  await auditNeed(actor, 'duplicate', n, { duplicateOf: body.duplicateOf })
  return toDetail(n, actor)
}

export async function withdrawNeed(actor: Actor, id: string, body: { reason?: string | undefined }) {
  const n = await transition(id, 'withdraw', own(actor), (need, next, now) => ({
    set: { 'stat.counted': 0, ...timerFields(need, next, now) },
    entries: [
      entry({
        at: now,
        kind: 'withdrawn',
        actorId: actor.userId,
        actorRole: 'resident',
        actorName: need.reporterName,
        note: body.reason ?? '居民撤回了反映',
        public: true,
        status: next,
        level: need.level as NeedLevel,
      }),
    ],
  }))
  return toDetail(n, actor)
}

export async function rateNeed(
  actor: Actor,
  id: string,
  body: { score: number; comment?: string | undefined },
  deps?: AppDeps,
) {
  const n = await transition(id, 'rate', own(actor), (need, next, now) => ({
    set: {
      rating: body.score,
      ratingComment: body.comment ?? null,
      'stat.rated': 1,
      'stat.satisfied': body.score >= 4 ? 1 : 0,
      ...timerFields(need, next, now),
    },
    entries: [
      entry({
        at: now,
        kind: 'rated',
        actorId: actor.userId,
        actorRole: 'resident',
        actorName: need.reporterName,
        note: `评价${body.score}星${body.comment ? `：${body.comment}` : ''}`,
        public: true,
        status: next,
        level: need.level as NeedLevel,
      }),
    ],
  }))
  await emitEvent(
    {
      key: `need.rated:${id}`,
      type: 'need.rated',
      userId: actor.userId,
      communityId: String(n.communityId),
      at: new Date(),
      data: { needId: id, score: body.score },
    },
    deps?.log,
  )
  return toDetail(n, actor)
}

export async function reopenNeed(actor: Actor, id: string, body: { reason: string }) {
  const n = await transition(
    id,
    'reopen',
    (need) => {
      own(actor)(need)
      if ((need.reopenCount ?? 0) >= 2) fail('NEED_REOPEN_LIMIT')
      if (
        !canReopenNeed({
          status: need.status as NeedStatus,
          rating: need.rating ?? null,
          reopenCount: need.reopenCount,
        })
      )
        fail('NEED_INVALID_TRANSITION', '评价满意的反映不能重新办理')
    },
    (need, next, now) => {
      const resolveDueAt = slaDeadline(need.sla as NeedSla, need.urgency as NeedUrgency, 'resolve', now)
      return {
        set: {
          reopenCount: (need.reopenCount ?? 0) + 1,
          firstReplyAt: null,
          resolveDueAt,
          'stat.resolvedKept': 0,
          ...timerFields({ ...need, resolveDueAt }, next, now, false),
        },
        entries: [
          entry({
            at: now,
            kind: 'reopened',
            actorId: actor.userId,
            actorRole: 'resident',
            actorName: need.reporterName,
            note: body.reason,
            public: true,
            status: next,
            level: need.level as NeedLevel,
          }),
        ],
      }
    },
  )
  // The handler who closed it hears first; a breached accept timer escalates as usual.
  const handlers = n.assigneeId ? [{ id: String(n.assigneeId) }] : await nextHandlers(n, n.level as NeedLevel)
  for (const h of handlers)
    await notify({
      userId: h.id,
      communityId: String(n.communityId),
      kind: 'need.reopened',
      title: `居民不满意，重新办理：${n.title}`.slice(0, 60),
      link: needLink(n._id),
      dedupeKey: `need.reopened:${n._id}:${n.reopenCount}:${h.id}`,
    })
  return toDetail(n, actor)
}

/** 吹哨: summons a department of the need's street or community to report in by a deadline; may raise the level (only upwards). */
export async function escalateNeed(
  actor: Actor,
  id: string,
  body: {
    level?: NeedLevel | undefined
    departmentId: string
    note?: string | undefined
    reportInMinutes: number
  },
) {
  const whistleId = new mongoose.Types.ObjectId()
  const before = found((await Need.findById(id).lean()) as NeedDoc | null)
  assertCanHandle(actor, before)
  const department = await assertWhistleTarget(body.departmentId, before)
  const { timezone: tz } = await communityInfo(before.communityId)
  let raisedTo: NeedLevel | null = null
  let dueAt = new Date()
  const n = await transition(
    id,
    'note',
    (need) => {
      assertCanHandle(actor, need)
      if (!openNeedStatuses.includes(need.status as (typeof openNeedStatuses)[number]))
        fail('NEED_INVALID_TRANSITION')
      if (body.level && !canRaiseLevel(need.level as NeedLevel, body.level)) fail('NEED_LEVEL_INVALID')
    },
    (need, next, now) => {
      raisedTo = body.level ?? null
      dueAt = new Date(now.getTime() + body.reportInMinutes * MINUTE)
      const level = body.level ?? (need.level as NeedLevel)
      const when = formatTime(dueAt, { tz, style: 'calendar' })
      const entries = [
        handlerEntry(actor, need, next, now, {
          kind: 'whistle',
          level,
          note: `吹哨：${department.name}须于${when}前报到${body.level ? `，升级至${needLevelLabels[body.level]}处理` : ''}`,
        }),
      ]
      if (body.note)
        entries.push(
          handlerEntry(actor, need, next, now, { kind: 'note', note: body.note, public: false, level }),
        )
      const timer = body.level && need.timer ? timerFields(need, next, now) : {}
      return { set: { level, ...timer }, entries, tell: '您的反映已吹哨，相关部门将报到处理' }
    },
  )
  await NeedWhistle.create({
    _id: whistleId,
    needId: n._id,
    communityId: n.communityId,
    streetId: n.streetId,
    departmentId: department._id,
    department: department.name,
    level: raisedTo,
    byId: actor.userId,
    dueAt,
  })
  for (const staffId of await departmentMembers(String(department._id)))
    await notify({
      userId: staffId,
      communityId: String(n.communityId),
      kind: 'need.whistled',
      title: `吹哨报到：${n.title}`.slice(0, 60),
      body: `请于${formatTime(dueAt, { tz, style: 'calendar' })}前报到`,
      link: '/packages/grid/dept-queue/index',
      dedupeKey: `need.whistled:${whistleId}:${staffId}`,
      subscribe: { template: 'need_assigned', data: { title: n.title.slice(0, 20), level: department.name } },
    })
  if (raisedTo) await tellHandlers(n, raisedTo, await nextHandlers(n, raisedTo), '吹哨报到')
  await auditNeed(actor, 'escalate', n, { departmentId: body.departmentId, level: raisedTo })
  return toDetail(n, actor)
}

async function departmentMembers(departmentId: string): Promise<string[]> {
  const rows = await Membership.find({ role: 'deptStaff', scopeId: departmentId }).limit(50).lean()
  return rows.map((m) => String(m.userId))
}
