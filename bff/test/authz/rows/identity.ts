import { PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import { type DomainRows, type Outcome, ownOnly, type Row } from '../matrix'

const everyone = (outcome: Outcome): Row['expect'] => ({
  anon: outcome,
  newcomer: outcome,
  resident: outcome,
  staff: outcome,
  grid: outcome,
  merchant: outcome,
  street: outcome,
})
const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const

let n = 0

/** Sign-in, the caller's profile and residency, the org tree, residency review, the audit log. */
export const identityRows = {
  getHealth: { req: () => ({}), expect: everyone('ok') },
  getLiveness: { req: () => ({}), expect: everyone('ok') },
  getReadiness: { req: () => ({}), expect: everyone('ok') },
  // Signing in is open to all; each cell brings a fresh code (the mock WeChat takes a code once).
  loginWechat: {
    req: (_, side, role) => ({ body: { code: `mock_mx-${role}-${side}.${Date.now().toString(36)}` } }),
    expect: everyone('ok'),
  },
  devLogin: {
    req: (_, side, role) => ({ body: { role: 'resident', handle: `mx-dev-${role}-${side}` } }),
    expect: everyone('ok'),
  },
  // Dev-only (refused in production, like devLogin): every merchant and department by name, B's too,
  // as the dev login signs in for any of them.
  listDevScopes: { req: () => ({}), expect: everyone('ok'), shows: ['department'] },
  refreshToken: { req: () => ({ body: { refreshToken: 'x'.repeat(43) } }), expect: everyone(401) },
  logout: { req: () => ({ body: { refreshToken: 'x'.repeat(43) } }), expect: everyone('ok') },
  getMe: { req: () => ({}), expect: signedIn },
  // Anyone signed in exchanges a code for their own phone (each cell a fresh code; a code works once).
  exchangePhoneCode: {
    req: (_, side, role) => ({
      body: { code: `phone_13912345678.${role}${side}${Date.now().toString(36)}` },
    }),
    expect: signedIn,
  },
  listCommunities: { req: () => ({}), expect: everyone('ok') },
  getCommunity: { req: (fx, side) => ({ params: { id: fx[side].communityId } }), expect: everyone('ok') },
  submitResidencyClaim: {
    // Everyone files a claim for themselves; a second one or a verified resident's is refused (409).
    req: (fx, side) => ({
      body: {
        communityId: fx[side].communityId,
        courtyardId: fx[side].courtyardId,
        buildingId: fx[side].buildingId,
        unit: '1',
        room: String(900 + ++n),
        consentVersion: PRIVACY_NOTICE_VERSION,
        realName: '赵六',
        phone: '13912345678',
      },
    }),
    expect: {
      newcomer: 'pass',
      resident: 'pass',
      staff: 'pass',
      grid: 'pass',
      merchant: 'pass',
      street: 'pass',
    },
  },
  getMyResidency: { req: () => ({}), expect: signedIn },
  listResidencyClaims: { req: () => ({}), expect: { staff: 'ok', street: 'ok' } },
  getResidencyClaim: {
    req: (fx, side) => ({ params: { id: fx[side].claimId } }),
    expect: { staff: ownOnly, street: 'ok' },
  },
  reviewResidencyClaim: {
    req: async (fx, side) => ({
      params: { id: await fx.fresh.claim(side) },
      body: { decision: 'reject', reason: '信息不符' },
    }),
    expect: { staff: ownOnly, street: 'ok' },
  },
  listAuditLog: { req: () => ({}), expect: { staff: 'ok', street: 'ok' } },
} satisfies DomainRows
