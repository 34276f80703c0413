import { type DomainRows, ownOnly } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const
const staffOwn = { staff: ownOnly, street: 'ok' } as const
const later = (days: number, hour: number) => new Date(Date.now() + days * 86_400_000 + hour * 3_600_000)
let n = 0

/** Community spaces (共享空间): catalogue, bookings, review, spaces and blackouts. */
export const bookingRows = {
  listSpaces: { req: (fx, side) => ({ query: { communityId: fx[side].communityId } }), expect: signedIn },
  // A disabled space: its community's staff only (enabled spaces are the public catalogue).
  getSpace: { req: (fx, side) => ({ params: { id: fx[side].hiddenSpaceId } }), expect: staffOwn },
  getSpaceAvailability: {
    req: (fx, side) => ({
      params: { id: fx[side].spaceId },
      query: { date: later(2, 0).toISOString().slice(0, 10) },
    }),
    expect: signedIn,
  },
  createBooking: {
    req: (fx, side) => {
      const start = later(30, ++n)
      start.setUTCMinutes(0, 0, 0)
      return {
        body: {
          spaceId: fx[side].spaceId,
          start: start.toISOString(),
          end: new Date(start.getTime() + 1_800_000).toISOString(),
          purpose: '家庭聚会',
          attendees: 3,
          contactPhone: '13812345678',
        },
      }
    },
    expect: { resident: ['pass', 404], newcomer: 403, staff: 403, grid: 403, merchant: 403, street: 403 },
  },
  listMyBookings: { req: () => ({}), expect: signedIn },
  getBooking: { req: (fx, side) => ({ params: { id: fx[side].bookingId } }), expect: staffOwn },
  cancelBooking: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.booking(side) },
      body: { reason: '场地临时维修' },
    }),
    expect: staffOwn,
  },
  checkInBooking: {
    req: (fx, side) => ({ params: { id: fx[side].bookingId }, body: { code: 'wrong' } }),
    expect: {},
  },
  listBookingsForReview: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: staffOwn,
  },
  approveBooking: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.booking(side) }, body: {} }),
    expect: staffOwn,
  },
  rejectBooking: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.booking(side) }, body: { reason: '时间冲突' } }),
    expect: staffOwn,
  },
  getSpaceSchedule: {
    req: (fx, side) => ({
      params: { id: fx[side].spaceId },
      query: { date: later(2, 0).toISOString().slice(0, 10) },
    }),
    expect: staffOwn,
  },
  createSpace: {
    req: (fx, side, role) => ({
      body: {
        communityId: fx[side].communityId,
        name: `矩阵新空间${role}${side}`,
        type: 'meetingRoom',
        location: '党群服务中心',
        capacity: 10,
        openingHours: [{ weekday: 1, open: '09:00', close: '17:00' }],
      },
    }),
    expect: staffOwn,
  },
  updateSpace: {
    req: (fx, side) => ({ params: { id: fx[side].spaceId }, body: { description: '矩阵测试更新的说明' } }),
    expect: staffOwn,
  },
  createBlackout: {
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        start: later(50, ++n).toISOString(),
        end: later(50, n + 0.5).toISOString(),
        reason: '全社区停电检修',
      },
    }),
    expect: staffOwn,
  },
  deleteBlackout: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.blackout(side) } }),
    expect: staffOwn,
  },
} satisfies DomainRows
