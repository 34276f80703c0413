import type { DomainRows } from '../matrix'

const cockpit = (fx: { streetId: string }) => ({
  query: { streetId: fx.streetId, from: '2026-01-01', to: '2026-12-31' },
})

/** The street cockpit: street staff of that street only (communities' staff are refused by role). */
export const cockpitRows = {
  getStreetCockpit: { req: cockpit, expect: { street: 'ok' } },
  exportStreetCockpit: { req: cockpit, expect: { street: 'ok' } },
} satisfies DomainRows
