import { type DomainRows, ownOnly, passOwn, type Row } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const
const openData: Row['expect'] = { anon: 'ok', ...signedIn }
/** Handlers of A's need: its community's staff and the street; A's grid worker of another grid is not one. */
const handlers = { staff: passOwn, street: 'pass' } as const
const stats = (fx: Parameters<Row['req']>[0], side: 'own' | 'foreign') => ({
  query: { scope: 'community', scopeId: fx[side].communityId, from: '2026-01-01', to: '2026-12-31' },
})

/** Urgent needs (急难愁盼) and the Open311 view. */
export const needsRows = {
  listNeedCategories: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: signedIn,
  },
  createNeed: {
    req: (fx, side) => ({
      body: {
        categoryId: fx[side].categoryId,
        title: '路灯坏了',
        description: '小区门口路灯不亮',
        ignoreDuplicates: true,
      },
    }),
    // Categories are public, so naming B's is a rule the schema cannot state (422), not a 404.
    expect: { resident: ['ok', 422], newcomer: 403, staff: 403, grid: 403, merchant: 403, street: 403 },
  },
  uploadNeedPhoto: {
    req: () => ({}),
    expect: {
      newcomer: 'pass',
      resident: 'pass',
      staff: 'pass',
      grid: 'pass',
      merchant: 'pass',
      street: 'pass',
    },
  },
  listMyNeeds: { req: () => ({}), expect: signedIn },
  getNeed: {
    req: (fx, side) => ({ params: { id: fx[side].needId } }),
    expect: { resident: ownOnly, staff: ownOnly, street: 'ok' },
  },
  withdrawNeed: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.need(side) }, body: { reason: '已自行解决' } }),
    expect: { resident: ownOnly },
  },
  listNeedsForHandling: { req: () => ({}), expect: { staff: 'ok', grid: 'ok', street: 'ok' } },
  acceptNeed: { req: (fx, side) => ({ params: { id: fx[side].needId } }), expect: handlers },
  addNeedReply: {
    req: (fx, side) => ({ params: { id: fx[side].needId }, body: { note: '已联系物业', public: true } }),
    expect: handlers,
  },
  resolveNeed: {
    req: async (fx, side) => ({ params: { id: await fx.fresh.need(side) }, body: { reply: '已修好' } }),
    expect: handlers,
  },
  escalateNeed: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.need(side) },
      body: { departmentId: fx[side].departmentId, note: '请协助处理' },
    }),
    expect: handlers,
  },
  referNeed: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.need(side) },
      body: { to: '物业', note: '转物业处理' },
    }),
    expect: handlers,
  },
  markNeedDuplicate: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.need(side) },
      body: { duplicateOf: fx[side].needId, note: '重复反映' },
    }),
    expect: handlers,
  },
  rateNeed: {
    req: (fx, side) => ({ params: { id: fx[side].needId }, body: { score: 5 } }),
    expect: { resident: passOwn },
  },
  reopenNeed: {
    req: (fx, side) => ({ params: { id: fx[side].needId }, body: { reason: '还没修好' } }),
    expect: { resident: passOwn },
  },
  getNeedStats: { req: stats, expect: { staff: ownOnly, street: 'ok', grid: 404 } },
  exportNeedStats: { req: stats, expect: { staff: ownOnly, street: 'ok' } },
  open311ListServices: {
    req: (fx, side) => ({ query: { jurisdiction_id: fx[side].communityId } }),
    expect: openData,
  },
  open311ListRequests: {
    req: (fx, side) => ({ query: { jurisdiction_id: fx[side].communityId } }),
    expect: openData,
    shows: ['need'],
  },
  open311GetRequest: {
    req: (fx, side) => ({ params: { id: fx[side].needId } }),
    expect: openData,
    shows: ['need'],
  },
  open311CreateRequest: {
    req: (fx, side) => ({
      body: { api_key: 'matrix-wrong-key', service_code: fx[side].categoryId, description: '路面塌陷' },
    }),
    // Open311 authenticates by its api_key, not by our tokens: a wrong key is 403 for all.
    expect: { anon: 403, newcomer: 403, resident: 403, staff: 403, grid: 403, merchant: 403, street: 403 },
  },
} satisfies DomainRows
