import {
  canRaiseLevel,
  formatTime,
  type NeedDetail,
  type NeedLevel,
  type NeedStatus,
  needLevelLabels,
  openNeedStatuses,
} from '@linli/shared-types'
import mongoose from 'mongoose'
import { fail, failField, found } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { Membership } from '../auth/membership.model'
import { assertWhistleTarget } from '../departments/departments.service'
import { notify } from '../notify/notify.service'
import { communityInfo } from '../org/org.service'
import { Need, type NeedDoc, NeedWhistle } from './need.model'
import { assertOwnFreePhotos, attachPhotos } from './needs.photos'
import { assertCanHandle, canHandle } from './needs.policy'
import { entry, nextHandlers, tellHandlers, timerFields, toDetail } from './needs.service'
import {
  auditNeed,
  handle,
  handlerEntry,
  MINUTE,
  minutesSince,
  mutateNeed,
  transition,
} from './needs.transitions'

// What handlers do with a need: accept, reply, resolve, refer, mark duplicate, escalate.
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
  if (!body.reply) failField('NEED_REPLY_REQUIRED', 'reply')
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
