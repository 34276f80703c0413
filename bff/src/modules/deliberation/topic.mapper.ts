import {
  maskName,
  stageOf,
  type TopicDetail,
  type TopicResult,
  type TopicSummary,
  topicStatusLabels,
} from '@linli/shared-types'
import type { Actor } from '../../platform/policy'
import { isStaffOf } from './access'
import type { TopicDoc } from './deliberation.model'

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

const historyLabels: Record<string, string> = {
  proposed: '提出议题',
  promoted: '附议达标，进入审议',
  accepted: '审核受理',
  refused: '不予受理',
  merged: '合并到其他议题',
  mergedFrom: '合并了其他议题',
  withdrawn: '提议人撤回',
  scheduled: '排入议事日',
  votingOpened: '开始投票',
  votingClosed: '投票结束，公布结果',
  milestone: '落实进展',
  done: '落实完成',
}

export interface Counts {
  seconds: number
  comments: number
}

/** Counts come from the topic's counters, or its collections while those are missing (countsOf). */
export function toSummary(t: TopicDoc, actor: Actor, counts: Counts): TopicSummary {
  const mine = String(t.proposerId) === actor.userId
  return {
    id: String(t._id),
    communityId: String(t.communityId),
    title: t.title,
    status: t.status,
    stage: stageOf(t.status),
    scope: {
      type: t.scopeType,
      courtyardId: t.courtyardId ? String(t.courtyardId) : null,
      name: t.scopeName,
    },
    proposerName: mine || isStaffOf(actor, t.communityId) ? t.proposerName : maskName(t.proposerName),
    proposerRole: t.proposerRole,
    mine,
    secondsCount: counts.seconds,
    secondsNeeded:
      t.status === 'proposed' && !t.promotedAt ? Math.max(0, t.secondsToPromote - counts.seconds) : 0,
    promoted: Boolean(t.promotedAt),
    commentsCount: counts.comments,
    dayId: t.dayId ? String(t.dayId) : null,
    dayDate: t.dayDate ?? null,
    votingClosesAt: iso(t.voting?.closesAt),
    progress: t.progress,
    createdAt: t.createdAt.toISOString(),
  }
}

export function toResult(t: TopicDoc): TopicResult | null {
  const r = t.result
  const v = t.voting
  if (!r || !v || !r.publishedAt) return null
  const counts = (r.counts ?? {}) as Record<string, number>
  return {
    options: v.options.map((o) => ({ key: o.key, label: o.label, kind: o.kind, count: counts[o.key] ?? 0 })),
    eligibleUnits: r.eligibleUnits ?? 0,
    ballots: r.ballots ?? 0,
    onlineBallots: r.onlineBallots ?? 0,
    offlineBallots: r.offlineBallots ?? 0,
    validBallots: r.validBallots ?? 0,
    turnoutPercent: r.turnoutPercent ?? 0,
    quorumPercent: v.quorumPercent,
    quorumMet: Boolean(r.quorumMet),
    threshold: v.threshold,
    countAbstentions: v.countAbstentions,
    leadingOption: r.leadingOption ?? null,
    passed: Boolean(r.passed),
    publishedAt: r.publishedAt.toISOString(),
  }
}

export interface DetailExtras {
  counts: Counts
  rating: { count: number; sum: number }
  comments: TopicDetail['comments']
  seconded: boolean
  myRating: number | null
}

export function toDetail(t: TopicDoc, actor: Actor, extras: DetailExtras): TopicDetail {
  const v = t.voting
  return {
    ...toSummary(t, actor, extras.counts),
    description: t.description,
    photos: [...t.photos],
    screening: t.screening?.decision
      ? {
          decision: t.screening.decision,
          ruleId: t.screening.ruleId ?? null,
          ruleName: t.screening.ruleName ?? null,
          reason: t.screening.reason ?? '',
          at: (t.screening.at ?? t.updatedAt).toISOString(),
        }
      : null,
    mergedIntoId: t.mergedIntoId ? String(t.mergedIntoId) : null,
    voting: v
      ? {
          options: v.options.map((o) => ({ key: o.key, label: o.label, kind: o.kind })),
          ballotUnit: v.ballotUnit,
          opensAt: v.opensAt.toISOString(),
          closesAt: v.closesAt.toISOString(),
          quorumPercent: v.quorumPercent,
          threshold: v.threshold,
          countAbstentions: v.countAbstentions,
          eligibleUnits: v.eligibleUnits ?? null,
        }
      : null,
    result: toResult(t),
    milestones: t.milestones.map((m) => ({
      id: String(m._id),
      title: m.title,
      note: m.note ?? '',
      progress: m.progress,
      at: m.at.toISOString(),
    })),
    rating: {
      count: extras.rating.count,
      average:
        extras.rating.count > 0 ? Math.round((extras.rating.sum / extras.rating.count) * 10) / 10 : null,
    },
    seconded: extras.seconded,
    myRating: extras.myRating,
    history: t.history.map((h) => ({
      at: h.at.toISOString(),
      action: h.action,
      label: historyLabels[h.action] ?? topicStatusLabels[h.action as TopicDoc['status']] ?? h.action,
      note: h.note ?? '',
    })),
    comments: extras.comments,
  }
}
