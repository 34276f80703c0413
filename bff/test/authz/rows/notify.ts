import type { DomainRows } from '../matrix'

const signedIn = {
  newcomer: 'ok',
  resident: 'ok',
  staff: 'ok',
  grid: 'ok',
  merchant: 'ok',
  street: 'ok',
} as const

/** The caller's own notifications. */
export const notifyRows = {
  listNotifications: { req: () => ({}), expect: signedIn },
  markNotificationsRead: { req: () => ({ body: {} }), expect: signedIn },
} satisfies DomainRows
