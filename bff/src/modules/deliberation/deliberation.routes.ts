import type { AppDeps } from '../../platform/deps'
import type { Mount } from '../../platform/http/operation'
import { handed } from '../../platform/http/scope'
import { castVote, getMyVote, recordOffline } from './ballots.service'
import { checkIn, createDay, getDay, listDays, recordMinutes } from './days.service'
import type { TopicDoc } from './deliberation.model'
import { getMeetingBoard } from './meeting.service'
import { getMyVoteReceipt, getVoteReceipts } from './receipts.service'
import { getRules, updateRules } from './rules.service'
import { scheduleTopic } from './schedule.service'
import { screenTopic } from './screening.service'
import {
  addMilestone,
  commentOnTopic,
  getTopic,
  listTopics,
  proposeTopic,
  rateOutcome,
  secondTopic,
  withdrawTopic,
} from './topics.service'
import { closeVoting, getResult, openVoting } from './voting.service'

export function deliberationRoutes(mount: Mount, deps: AppDeps): void {
  const secret = deps.config.BALLOT_SECRET
  mount('getDeliberationRules', ({ params }) => getRules(params.id))
  mount('updateDeliberationRules', ({ params, body }, { actor }) => updateRules(actor, params.id, body))
  mount('proposeTopic', ({ body }, { actor }) => proposeTopic(actor, body))
  mount('listTopics', ({ query }, { actor }) => listTopics(actor, query))
  mount('getTopic', ({ params }, { actor, scoped }) =>
    getTopic(actor, params.id, handed<TopicDoc>(scoped, 'topic')),
  )
  mount('secondTopic', ({ params }, { actor }) => secondTopic(actor, params.id))
  mount('withdrawTopic', ({ params }, { actor }) => withdrawTopic(actor, params.id))
  mount('commentOnTopic', ({ params, body }, { actor }) => commentOnTopic(actor, params.id, body.body))
  mount('screenTopic', ({ params, body }, { actor, log }) => screenTopic(actor, params.id, body, log))
  mount('createDeliberationDay', ({ body }, { actor }) => createDay(actor, body))
  mount('listDeliberationDays', ({ query }, { actor }) => listDays(actor, query))
  mount('getDeliberationDay', ({ params }, { actor }) => getDay(actor, params.id))
  mount('scheduleTopic', ({ params, body }, { actor }) => scheduleTopic(actor, params.id, body))
  mount('openVoting', ({ params }, { actor }) => openVoting(actor, params.id))
  mount('castVote', ({ params, body }, { actor, log, scoped }) =>
    castVote(actor, params.id, body.choice, secret, log, handed<TopicDoc>(scoped, 'topic')),
  )
  mount('getMyVote', ({ params }, { actor }) => getMyVote(actor, params.id, secret))
  mount('closeVoting', ({ params }, { actor }) => closeVoting(actor, params.id, secret))
  mount('getTopicResult', ({ params }) => getResult(params.id))
  mount('recordOfflineBallots', ({ params, body }, { actor, log }) =>
    recordOffline(actor, params.id, body.ballots, secret, log),
  )
  mount('checkInDeliberationDay', ({ params, body }, { actor, log }) => checkIn(actor, params.id, body, log))
  mount('recordMinutes', ({ params, body }, { actor }) => recordMinutes(actor, params.id, body))
  mount('addTopicMilestone', ({ params, body }, { actor }) => addMilestone(actor, params.id, body))
  mount('getMyVoteReceipt', ({ params }, { actor }) => getMyVoteReceipt(actor, params.id, secret))
  mount('getVoteReceipts', ({ params }, { actor }) => getVoteReceipts(actor, params.id, secret))
  mount('getMeetingBoard', ({ params }, { actor }) => getMeetingBoard(actor, params.id))
  mount('rateTopicOutcome', ({ params, body }, { actor }) => rateOutcome(actor, params.id, body))
}
