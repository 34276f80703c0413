import { type DomainRows, ownOnly, passOwn } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const
const staffOwn = { staff: ownOnly, street: 'ok' } as const
/** Lists of a community: its residents and staff; A's grid worker passes the policy but sees none. */
const listing = { resident: ownOnly, staff: ownOnly, grid: ownOnly, street: 'ok', newcomer: 403 } as const
/** Only a verified resident of the community signs up or borrows; other roles reaching it get 403. */
const residentsOnly = { resident: passOwn, staff: [403, 404], grid: [403, 404], street: 403 } as const
let n = 0

/** Activities and volunteering (sessions, sign-ups, attendance) and shared items (lending). */
export const activitiesRows = {
  createActivity: {
    req: (fx, side) => {
      const start = new Date(Date.now() + (60 + (++n % 30)) * 86_400_000)
      return {
        body: {
          communityId: fx[side].communityId,
          title: '矩阵新活动',
          location: '党群服务中心',
          contactPhone: '13800000000',
          placesPerSession: 5,
          schedule: {
            kind: 'once',
            sessions: [
              { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
            ],
          },
        },
      }
    },
    expect: staffOwn,
  },
  updateActivity: {
    req: (fx, side) => ({ params: { id: fx[side].activityId }, body: { description: '矩阵测试更新' } }),
    expect: staffOwn,
  },
  listActivities: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: listing },
  getActivity: {
    req: (fx, side) => ({ params: { id: fx[side].activityId } }),
    expect: { resident: ownOnly, staff: ownOnly, street: 'ok' },
  },
  listSessions: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: listing },
  signUpForSession: { req: (fx, side) => ({ params: { id: fx[side].sessionId } }), expect: residentsOnly },
  cancelSignUp: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.signUp(side) } }),
    expect: { resident: ownOnly },
  },
  listMySignUps: { req: () => ({}), expect: signedIn },
  getMyVolunteerService: { req: () => ({}), expect: signedIn },
  getSessionRoster: { req: (fx, side) => ({ params: { id: fx[side].sessionId } }), expect: staffOwn },
  messageSessionRoster: {
    req: (fx, side) => ({ params: { id: fx[side].sessionId }, body: { body: '请准时到场' } }),
    expect: staffOwn,
  },
  checkInToSession: {
    req: (fx, side) => ({ params: { id: fx[side].sessionId }, body: { code: 'WRONGCODE' } }),
    expect: { resident: passOwn, staff: passOwn, street: 'pass' },
  },
  checkOutOfSession: {
    req: (fx, side) => ({ params: { id: fx[side].sessionId }, body: { code: 'WRONGCODE' } }),
    expect: { resident: passOwn, staff: passOwn, street: 'pass' },
  },
  listItems: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: listing },
  createItem: {
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        station: '生活驿站',
        name: '矩阵新物品',
        stock: 1,
        loanDays: 3,
      },
    }),
    expect: staffOwn,
  },
  borrowItem: { req: (fx, side) => ({ params: { id: fx[side].itemId } }), expect: residentsOnly },
  cancelLoan: {
    req: async (fx, side) => ({ params: { id: (await fx.fresh.loan(side)).id } }),
    expect: { resident: ownOnly },
  },
  listMyLoans: { req: () => ({}), expect: signedIn },
  listLoans: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: staffOwn },
  pickUpLoan: {
    req: async (fx, side) => ({ body: { code: (await fx.fresh.loan(side)).code } }),
    expect: staffOwn,
  },
  // The shared loan was never picked up: returning it is refused (409) once the policy let it through.
  returnLoan: {
    req: (fx, side) => ({ body: { code: fx[side].loanCode } }),
    expect: { staff: passOwn, street: 'pass' },
  },
} satisfies DomainRows
