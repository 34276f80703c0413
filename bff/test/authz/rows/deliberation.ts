import { type DomainRows, ownOnly, passOwn } from '../matrix'

/** Who takes part in a community's deliberation: its verified residents, grid workers and staff. */
const members = { resident: ownOnly, staff: ownOnly, grid: ownOnly, street: 'ok' } as const
const membersPass = { resident: passOwn, staff: passOwn, grid: passOwn, street: 'pass' } as const
const staffOwn = { staff: ownOnly, street: 'ok' } as const
const staffPass = { staff: passOwn, street: 'pass' } as const
/** Only a verified resident of the topic's community acts; other roles reaching it are refused (403). */
const residentsOnly = { resident: passOwn, staff: [403, 404], grid: [403, 404], street: 403 } as const
let n = 0

/** Deliberation day (议事日): rules, topics, days, voting, outcomes. */
export const deliberationRows = {
  getDeliberationRules: {
    req: (fx, side) => ({ params: { id: fx[side].communityId } }),
    expect: { ...members, newcomer: 403 },
  },
  updateDeliberationRules: {
    req: (fx, side) => ({
      params: { id: fx[side].communityId },
      body: {
        deliberate: [{ name: '公共设施', explanation: '院落公共设施的改善' }],
        exclude: [{ name: '违法事项', explanation: '违反法律法规的事项不议' }],
      },
    }),
    expect: staffOwn,
  },
  proposeTopic: {
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        title: '增设快递柜',
        description: '快递经常丢失，希望增设快递柜。',
      },
    }),
    expect: { ...members, newcomer: 403 },
  },
  listTopics: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: { ...members, newcomer: 403 },
  },
  getTopic: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: members },
  // The resident proposed A's topic, so seconding it is refused (409) after the policy let it through.
  secondTopic: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: residentsOnly },
  withdrawTopic: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.topic(side) } }),
    // Members of A see the topic, so they are told it is not theirs (403).
    expect: { resident: ownOnly, staff: [403, 404], grid: [403, 404], street: 403 },
  },
  commentOnTopic: {
    req: (fx, side) => ({ params: { id: fx[side].topicId }, body: { body: '同意，支持' } }),
    expect: members,
  },
  screenTopic: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.topic(side) }, body: { decision: 'accept' } }),
    expect: staffOwn,
  },
  createDeliberationDay: {
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        date: `2032-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + Math.floor(n++ / 12)).padStart(2, '0')}`,
        place: '社区议事厅',
      },
    }),
    expect: staffOwn,
  },
  listDeliberationDays: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: { ...members, newcomer: 403 },
  },
  getDeliberationDay: { req: (fx, side) => ({ params: { id: fx[side].dayId } }), expect: members },
  scheduleTopic: {
    req: (fx, side) => ({
      params: { id: fx[side].topicId },
      body: {
        dayId: fx[side].dayId,
        voting: {
          opensAt: new Date(Date.now() + 86_400_000).toISOString(),
          closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        },
      },
    }),
    expect: staffPass,
  },
  openVoting: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: staffPass },
  castVote: {
    req: (fx, side) => ({ params: { id: fx[side].topicId }, body: { choice: 'yes' } }),
    expect: membersPass,
  },
  getMyVote: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: members },
  closeVoting: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: staffPass },
  getTopicResult: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: membersPass },
  recordOfflineBallots: {
    req: (fx, side) => ({
      params: { id: fx[side].topicId },
      body: { ballots: [{ userId: fx[side].residentId, choice: 'yes' }] },
    }),
    expect: staffPass,
  },
  checkInDeliberationDay: {
    req: (fx, side) => ({ params: { id: fx[side].dayId }, body: { code: 'wrong-code' } }),
    expect: residentsOnly,
  },
  recordMinutes: {
    req: (fx, side) => ({
      params: { id: fx[side].dayId },
      body: { text: '会议纪要：通过增设快递柜。', conclude: false },
    }),
    expect: staffOwn,
  },
  addTopicMilestone: {
    req: (fx, side) => ({ params: { id: fx[side].topicId }, body: { title: '启动', progress: 10 } }),
    expect: staffPass,
  },
  rateTopicOutcome: {
    req: (fx, side) => ({ params: { id: fx[side].topicId }, body: { stars: 5 } }),
    expect: residentsOnly,
  },
  getMyVoteReceipt: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: members },
  // Receipts are published after the close (409 before) to those who take part.
  getVoteReceipts: { req: (fx, side) => ({ params: { id: fx[side].topicId } }), expect: membersPass },
  getMeetingBoard: { req: (fx, side) => ({ params: { id: fx[side].dayId } }), expect: members },
} satisfies DomainRows
