import type { DomainRows } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const

const timers = (m: number) => ({ acceptMinutes: m, replyMinutes: 2 * m, resolveMinutes: 10 * m })

/** One's own data (consents, export, deletion), the staff people picker and the category editors. */
export const privacyRows = {
  listMyConsents: { req: () => ({}), expect: signedIn },
  exportMyData: { req: () => ({}), expect: signedIn },
  // Never really deletes the matrix's users: a wrong confirmation is refused after the checks (400).
  deleteMyAccount: {
    req: () => ({ body: { confirmation: '不注销' } }),
    expect: { newcomer: 400, resident: 400, staff: 400, grid: 400, merchant: 400, street: 400 },
  },
  searchResidents: {
    req: (fx, side) => ({ query: { q: '张', communityId: fx[side].communityId } }),
    expect: { staff: ['ok', 404], street: 'ok' },
  },
  // A fixed key: the first cell creates it, later ones on the same community meet 409 (still let through).
  createNeedCategory: {
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        key: 'mx-category',
        name: '矩阵测试分类',
        sla: { normal: timers(60), urgent: timers(30), emergency: timers(10) },
      },
    }),
    expect: { staff: ['pass', 404], street: 'pass' },
  },
  updateNeedCategory: {
    req: (fx, side) => ({ params: { id: fx[side].categoryId }, body: { sortOrder: 5 } }),
    expect: { staff: ['ok', 404], street: 'ok' },
  },
} satisfies DomainRows
