/** Scheduling: a topic goes onto a deliberation day with its voting options and window. */
import {
  type DeliberationSettings,
  sourcesOf,
  type TopicDetail,
  type VoteOption,
  type VotingConfigInput,
} from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { audit } from '../audit/audit.service'
import { Day, Topic, type TopicDoc } from './deliberation.model'
import { settingsOf } from './rules.service'
import { conflict, detail, entry, staffTopic } from './topics.service'

const defaultOptions: VoteOption[] = [
  { key: 'yes', label: '同意', kind: 'for' },
  { key: 'no', label: '反对', kind: 'against' },
  { key: 'abstain', label: '弃权', kind: 'abstain' },
]

function buildOptions(input: VotingConfigInput['options']): VoteOption[] {
  if (!input) return defaultOptions
  const options = input.map((o, i) => ({ key: `o${i + 1}`, label: o.label, kind: o.kind }))
  const labels = new Set(options.map((o) => o.label))
  const abstain = options.filter((o) => o.kind === 'abstain').length
  const decisive = options.length - abstain
  const forCount = options.filter((o) => o.kind === 'for').length
  if (labels.size !== options.length || abstain > 1 || decisive < 2 || forCount > 1)
    fail('VOTING_OPTIONS_INVALID')
  return options
}

const DAY_MS = 86_400_000

/**
 * The window of a topic on a day's agenda. By default online voting opens `votingOpensDaysBefore`
 * the meeting and closes at its end, so paper ballots cast at the meeting count; a window closing
 * before the meeting starts is refused (the day would decide nothing).
 */
function votingWindow(
  input: Pick<VotingConfigInput, 'opensAt' | 'closesAt'>,
  meetingStartsAt: Date,
  settings: DeliberationSettings,
  now = new Date(),
): { opensAt: Date; closesAt: Date } {
  const closesAt = input.closesAt
    ? new Date(input.closesAt)
    : new Date(meetingStartsAt.getTime() + settings.meetingMinutes * 60_000)
  const opensAt = input.opensAt
    ? new Date(input.opensAt)
    : new Date(Math.max(now.getTime(), meetingStartsAt.getTime() - settings.votingOpensDaysBefore * DAY_MS))
  if (closesAt < meetingStartsAt)
    throw new AppError('VOTING_WINDOW_INVALID', '投票截止时间不能早于议事日会议开始时间', [
      { path: ['voting', 'closesAt'], message: '截止时间须在议事日会议开始之后' },
    ])
  if (closesAt <= opensAt || closesAt <= now)
    throw new AppError('VOTING_WINDOW_INVALID', '截止时间须晚于开始时间和当前时间', [
      { path: ['voting', 'closesAt'], message: '截止时间须晚于开始时间和当前时间' },
    ])
  return { opensAt, closesAt }
}

export async function scheduleTopic(
  actor: Actor,
  id: string,
  body: { dayId: string; voting: VotingConfigInput },
): Promise<TopicDetail> {
  const topic = await staffTopic(actor, id)
  const day = await Day.findById(body.dayId).lean()
  if (!day || String(day.communityId) !== String(topic.communityId))
    throw new AppError('NOT_FOUND', '议事日不存在')
  if (day.status === 'concluded') fail('DAY_CONCLUDED')
  const { opensAt, closesAt } = votingWindow(
    body.voting,
    day.startsAt,
    await settingsOf(String(topic.communityId)),
  )
  const voting = {
    options: buildOptions(body.voting.options),
    ballotUnit: body.voting.ballotUnit,
    opensAt,
    closesAt,
    quorumPercent: body.voting.quorumPercent,
    threshold: body.voting.threshold,
    countAbstentions: body.voting.countAbstentions,
    eligibleUnits: null,
    openedAt: null,
    closedAt: null,
  }
  const updated = await Topic.findOneAndUpdate(
    { _id: id, status: { $in: sourcesOf('scheduled') } },
    {
      $set: { status: 'scheduled', dayId: day._id, dayDate: day.date, voting },
      $push: { history: entry('scheduled', `${day.date} ${day.place}`) },
    },
    { new: true },
  ).lean()
  if (!updated) return conflict(id)
  await audit(
    actor,
    'deliberation.topic.schedule',
    { type: 'topic', id, communityId: topic.communityId },
    {
      dayId: body.dayId,
    },
  )
  return detail(updated as TopicDoc, actor)
}
