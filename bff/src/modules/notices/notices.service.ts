import {
  maskName,
  type Notice,
  type NoticeAudienceLevel,
  type NoticeReceipts,
  type PublishNoticeInput,
} from '@linli/shared-types'
import type { Types } from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import { paginate } from '../../platform/pagination'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { User, type UserDoc } from '../auth/user.model'
import { householdLabels } from '../grid/residents'
import { canHandle } from '../needs/needs.policy'
import { Notification, Outbox } from '../notify/notification.model'
import { OrgUnit } from '../org/org-unit.model'
import { type NoticeDoc, NoticeModel, NoticeReceipt } from './notice.model'

const levelField: Record<NoticeAudienceLevel, string> = {
  community: 'residency.communityId',
  grid: 'residency.gridId',
  courtyard: 'residency.courtyardId',
  building: 'residency.buildingId',
}

/** The verified residents a notice is addressed to, as a user filter (index per level). */
const audienceFilter = (n: Pick<NoticeDoc, 'audienceLevel' | 'audienceId'>) => ({
  [levelField[n.audienceLevel as NoticeAudienceLevel]]: n.audienceId,
  'residency.status': 'verified',
})

/** Whether the actor lives in the notice's audience (a verified resident of that unit). */
function inAudience(actor: Actor, n: NoticeDoc): boolean {
  const r = actor.residency
  if (r.status !== 'verified') return false
  const mine = { community: r.communityId, grid: r.gridId, courtyard: r.courtyardId, building: r.buildingId }
  return mine[n.audienceLevel as NoticeAudienceLevel] === String(n.audienceId)
}

/** Whether the actor publishes for the notice's unit: its grid worker, community or street staff. */
function publishesFor(actor: Actor, unit: { communityId: unknown; gridId?: unknown; courtyardId?: unknown }) {
  return canHandle(actor, {
    communityId: unit.communityId as Types.ObjectId,
    gridId: (unit.gridId ?? null) as Types.ObjectId | null,
    courtyardId: (unit.courtyardId ?? null) as Types.ObjectId | null,
  })
}

async function counts(n: NoticeDoc) {
  const [audience, read, confirmed] = await Promise.all([
    User.countDocuments(audienceFilter(n)),
    NoticeReceipt.countDocuments({ noticeId: n._id }),
    NoticeReceipt.countDocuments({ noticeId: n._id, confirmedAt: { $ne: null } }),
  ])
  return { audience, read, confirmed }
}

async function dto(n: NoticeDoc, actor: Actor, withCounts: boolean): Promise<Notice> {
  const receipt = inAudience(actor, n)
    ? await NoticeReceipt.findOne({ noticeId: n._id, userId: actor.userId }).lean()
    : null
  return {
    id: String(n._id),
    communityId: String(n.communityId),
    audienceLevel: n.audienceLevel as NoticeAudienceLevel,
    audienceName: n.audienceName,
    title: n.title,
    body: n.body,
    requireConfirm: n.requireConfirm,
    confirmBy: n.confirmBy ? n.confirmBy.toISOString() : null,
    publisherName: n.publisherName,
    publishedAt: n.createdAt.toISOString(),
    readAt: receipt?.readAt ? receipt.readAt.toISOString() : null,
    confirmedAt: receipt?.confirmedAt ? receipt.confirmedAt.toISOString() : null,
    counts: withCounts ? await counts(n) : null,
  }
}

export async function publishNotice(actor: Actor, input: PublishNoticeInput): Promise<Notice> {
  const unit = await OrgUnit.findOne({
    _id: input.audienceId,
    level: { $in: ['community', 'grid', 'courtyard', 'building'] },
  }).lean()
  const place = unit && { ...unit, communityId: unit.level === 'community' ? unit._id : unit.communityId }
  const gridId = unit?.level === 'grid' ? unit._id : (unit?.gridId ?? null)
  const courtyardId = unit?.level === 'courtyard' ? unit._id : (unit?.courtyardId ?? null)
  if (!unit || !place || !publishesFor(actor, { communityId: place.communityId, gridId, courtyardId }))
    throw new AppError('NOT_FOUND')
  if (input.confirmBy && new Date(input.confirmBy) <= new Date())
    throw new AppError('RULE_VIOLATED', undefined, [{ path: ['confirmBy'], message: '截止时间须晚于现在' }])
  const notice = (
    await NoticeModel.create({
      communityId: place.communityId,
      gridId,
      courtyardId,
      audienceLevel: unit.level,
      audienceId: unit._id,
      audienceName: unit.name,
      title: input.title,
      body: input.body,
      requireConfirm: input.requireConfirm,
      confirmBy: input.confirmBy ? new Date(input.confirmBy) : null,
      publisherId: actor.userId,
      publisherName: actor.nickname,
    })
  ).toObject() as NoticeDoc
  await audit(actor, 'notice.publish', {
    type: 'notice',
    id: String(notice._id),
    communityId: notice.communityId,
  })
  await fanOut(notice)
  return dto(notice, actor, true)
}

const BATCH = 500

/** Inbox entry and subscribe message for every resident of the audience; safe to repeat. */
export async function fanOut(n: NoticeDoc): Promise<void> {
  let after: Types.ObjectId | null = null
  for (;;) {
    const users = (await User.find(
      { ...audienceFilter(n), ...(after ? { _id: { $gt: after } } : {}) },
      { _id: 1 },
    )
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean()) as { _id: Types.ObjectId }[]
    if (!users.length) break
    after = users.at(-1)!._id
    const link = `/packages/grid/notice/index?id=${n._id}`
    const key = (u: { _id: unknown }) => `notice:${n._id}:${u._id}`
    await insertIgnoringDuplicates(
      Notification,
      users.map((u) => ({
        userId: u._id,
        communityId: n.communityId,
        kind: 'notice.published',
        title: `通知：${n.title}`.slice(0, 60),
        body: n.requireConfirm ? '请阅读并点击“收到”' : '',
        link,
        dedupeKey: key(u),
      })),
    )
    await insertIgnoringDuplicates(
      Outbox,
      users.map((u) => ({
        _id: key(u),
        userId: u._id,
        template: 'notice_published',
        data: { title: n.title.slice(0, 20), publisher: n.publisherName.slice(0, 20) },
        page: link,
      })),
    )
  }
  await NoticeModel.updateOne({ _id: n._id, fannedOutAt: null }, { $set: { fannedOutAt: new Date() } })
}

async function insertIgnoringDuplicates(
  model: { insertMany: (docs: object[], o: object) => Promise<unknown> },
  docs: object[],
) {
  try {
    await model.insertMany(docs, { ordered: false })
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors
    const allDup = writeErrors?.every((e) => (e.code ?? e.err?.code) === 11000)
    if (!(allDup || isDuplicateKey(error))) throw error
  }
}

/** The notice if the actor is in its audience or publishes for it; 404 otherwise. */
async function visible(actor: Actor, id: string) {
  const n = (await NoticeModel.findById(id).lean()) as NoticeDoc | null
  if (!n) throw new AppError('NOT_FOUND')
  const resident = inAudience(actor, n)
  const publisher = publishesFor(actor, n)
  if (!resident && !publisher) throw new AppError('NOT_FOUND')
  return { n, resident, publisher }
}

/** Creates the actor's receipt (read now) unless it exists; two opens at once make one receipt. */
async function ensureReceipt(noticeId: unknown, userId: string) {
  try {
    await NoticeReceipt.updateOne(
      { noticeId, userId },
      { $setOnInsert: { readAt: new Date(), confirmedAt: null } },
      { upsert: true },
    )
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

export async function getNotice(actor: Actor, id: string): Promise<Notice> {
  const { n, resident, publisher } = await visible(actor, id)
  if (resident) await ensureReceipt(n._id, actor.userId)
  return dto(n, actor, publisher)
}

export async function confirmNotice(actor: Actor, id: string): Promise<Notice> {
  const { n, resident, publisher } = await visible(actor, id)
  if (!resident) throw new AppError('NOT_FOUND')
  if (!n.requireConfirm) fail('NOTICE_CONFIRM_NOT_REQUIRED')
  if (n.confirmBy && n.confirmBy < new Date()) fail('NOTICE_CONFIRM_CLOSED')
  await ensureReceipt(n._id, actor.userId)
  await NoticeReceipt.updateOne(
    { noticeId: n._id, userId: actor.userId, confirmedAt: null },
    { $set: { confirmedAt: new Date() } },
  )
  return dto(n, actor, publisher)
}

export async function listNotices(
  actor: Actor,
  q: { limit: number; cursor?: string | undefined; box: 'inbox' | 'published' },
) {
  let filter: Record<string, unknown> | null
  if (q.box === 'inbox') {
    const r = actor.residency
    const units = [r.communityId, r.gridId, r.courtyardId, r.buildingId].filter(Boolean)
    filter = r.status === 'verified' && units.length ? { audienceId: { $in: units } } : null
  } else {
    filter = publisherFilter(actor)
  }
  if (!filter) return { items: [], nextCursor: null }
  const page = await paginate(NoticeModel, filter as never, {
    limit: q.limit,
    cursor: q.cursor,
    order: 'desc',
  })
  const items = await Promise.all(page.items.map((n) => dto(n as NoticeDoc, actor, q.box === 'published')))
  return { items, nextCursor: page.nextCursor }
}

function publisherFilter(actor: Actor): Record<string, unknown> | null {
  if (actor.isAdmin) return {}
  const or: Record<string, unknown>[] = []
  for (const m of actor.memberships) {
    if (m.role !== 'gridWorker' || !m.scopeId) continue
    or.push({ [m.scopeType === 'courtyard' ? 'courtyardId' : 'gridId']: m.scopeId })
  }
  const communities = [...(actor.reach.staff ?? []), ...(actor.reach.streetStaff ?? [])]
  if (communities.length) or.push({ communityId: { $in: communities } })
  return or.length ? { $or: or } : null
}

const PENDING_LIMIT = 200

/** Counts, and the residents still to confirm (or to read) for door-to-door follow-up, masked. */
export async function getNoticeReceipts(actor: Actor, id: string): Promise<NoticeReceipts> {
  const { n, publisher } = await visible(actor, id)
  if (!publisher) throw new AppError('NOT_FOUND')
  const [c, receipts] = await Promise.all([
    counts(n),
    NoticeReceipt.find({ noticeId: n._id }, { userId: 1, confirmedAt: 1 }).lean(),
  ])
  const done = new Set(
    receipts.filter((r) => !n.requireConfirm || r.confirmedAt).map((r) => String(r.userId)),
  )
  const read = new Set(receipts.map((r) => String(r.userId)))
  const pending: UserDoc[] = []
  let after: Types.ObjectId | null = null
  let truncated = false
  for (;;) {
    const users = (await User.find({ ...audienceFilter(n), ...(after ? { _id: { $gt: after } } : {}) })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean()) as UserDoc[]
    if (!users.length) break
    after = users.at(-1)!._id
    for (const u of users) if (!done.has(String(u._id))) pending.push(u)
    if (pending.length > PENDING_LIMIT) {
      truncated = true
      break
    }
  }
  const shown = pending.slice(0, PENDING_LIMIT)
  const labels = await householdLabels(shown.map((u) => u.residency?.householdKey))
  await audit(actor, 'notice.receipts', { type: 'notice', id, communityId: n.communityId })
  return {
    noticeId: id,
    counts: c,
    pending: shown.map((u) => ({
      userId: String(u._id),
      name: maskName(u.nickname),
      household: labels.get(u.residency?.householdKey ?? '') ?? '',
      read: read.has(String(u._id)),
    })),
    truncated,
  }
}
