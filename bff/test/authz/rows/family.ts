import type { DomainRows } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const

/** Family binding: each binding is its two parties' own; nobody else sees or revokes it. */
export const familyRows = {
  requestFamilyBinding: { req: () => ({ body: { as: 'member' } }), expect: signedIn },
  // A code nobody was given: refused alike for everyone, so nothing is learnt about other bindings.
  confirmFamilyBinding: {
    req: () => ({ body: { code: 'ABCDEFGH23' } }),
    expect: { newcomer: 422, resident: 422, staff: 422, grid: 422, merchant: 422, street: 422 },
  },
  revokeFamilyBinding: {
    req: (fx, side) => ({ params: { id: fx[side].bindingId } }),
    expect: { resident: ['pass', 404] },
  },
  listFamily: { req: () => ({}), expect: signedIn },
} satisfies DomainRows
