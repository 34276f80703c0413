import type { BoardTopic, MeetingBoard } from '@linli/shared-types'
import { AppError } from '../../platform/errors'
import type { Actor } from '../../platform/policy'
import { loadCommunity, participantIn } from './access'
import { loadDay, toDay } from './days.service'
import { Ballot, Topic, type TopicDoc } from './deliberation.model'
import { toResult } from './topic.mapper'

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

/** Units that hold a ballot (any number of versions of one unit's ballot count once). */
async function ballotsCast(topic: TopicDoc): Promise<number> {
  if (topic.result) return topic.result.ballots ?? 0
  if (!['voting', 'closing'].includes(topic.status)) return 0
  const rows = await Ballot.aggregate<{ n: number }>([
    { $match: { topicId: topic._id, kind: 'vote' } },
    { $group: { _id: '$voterToken' } },
    { $count: 'n' },
  ])
  return rows[0]?.n ?? 0
}

/**
 * The 大屏 of the meeting room: the agenda, attendance and per topic how many units have voted —
 * never a choice until the vote is closed and published, then the result. Anyone taking part in
 * the community's deliberation may open it; others get 404.
 */
export async function getMeetingBoard(actor: Actor, dayId: string): Promise<MeetingBoard> {
  const day = await loadDay(dayId)
  if (!participantIn(actor, day.communityId)) throw new AppError('NOT_FOUND')
  const [summary, community, agenda] = await Promise.all([
    toDay(day, actor),
    loadCommunity(day.communityId),
    Topic.find({ dayId: day._id }).sort({ createdAt: 1, _id: 1 }).lean() as Promise<TopicDoc[]>,
  ])
  const { checkInCode: _code, checkedIn: _mine, ...dayView } = summary
  const topics: BoardTopic[] = await Promise.all(
    agenda.map(async (t) => ({
      id: String(t._id),
      title: t.title,
      status: t.status,
      ballotsCast: await ballotsCast(t),
      eligibleUnits: t.voting?.eligibleUnits ?? null,
      votingOpensAt: iso(t.voting?.opensAt),
      votingClosesAt: iso(t.voting?.closesAt),
      result: toResult(t),
    })),
  )
  return {
    day: dayView,
    communityName: community.name,
    agenda: topics,
    generatedAt: new Date().toISOString(),
  }
}
