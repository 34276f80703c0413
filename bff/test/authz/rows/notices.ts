import { type DomainRows, ownOnly, passOwn } from '../matrix'

let n = 0
const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const

/** Notices (通知公告): published to a community or a part of it; read and confirmed by its residents. */
export const noticesRows = {
  publishNotice: {
    req: (fx, side) => ({
      body: { audienceId: fx[side].communityId, title: `矩阵通知${++n}`, body: '周六上午清洗水箱' },
      headers: { 'Idempotency-Key': `mx-notice-${n}-${Date.now().toString(36)}` },
    }),
    expect: { staff: ownOnly, street: 'ok' },
  },
  listNotices: { req: () => ({}), expect: signedIn },
  getNotice: {
    req: (fx, side) => ({ params: { id: fx[side].noticeId } }),
    expect: { resident: ownOnly, staff: ownOnly, street: 'ok' },
  },
  confirmNotice: {
    req: (fx, side) => ({ params: { id: fx[side].noticeId } }),
    expect: { resident: passOwn },
  },
  getNoticeReceipts: {
    req: (fx, side) => ({ params: { id: fx[side].noticeId } }),
    expect: { staff: ownOnly, street: 'ok' },
  },
} satisfies DomainRows
