/**
 * UTC month keys (`YYYY-MM`) of documents read by range: FerretDB v1 pushes only equalities down, so
 * a range over `createdAt` is read as one equality per month, the exact bounds applied in memory.
 */
export const monthOf = (at: Date) => at.toISOString().slice(0, 7)

/** The UTC months that [start, end) touches, oldest first. */
export function monthsOf(start: Date, end: Date): string[] {
  const months: string[] = []
  const last = monthOf(new Date(end.getTime() - 1))
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); ; m++) {
    const month = monthOf(new Date(Date.UTC(y, m, 1)))
    months.push(month)
    if (month >= last) return months
  }
}
