import qrcode from 'qrcode-generator'

/** One row of modules as alternating runs, so a 25×25 code is ~250 Views instead of 625. */
export interface Run {
  dark: boolean
  length: number
}

/** The QR module matrix (true = dark) for `payload`: smallest version that fits, error correction M. */
export function qrMatrix(payload: string): boolean[][] {
  const qr = qrcode(0, 'M')
  qr.addData(payload, 'Byte')
  qr.make()
  const n = qr.getModuleCount()
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)))
}

export function rowRuns(row: readonly boolean[]): Run[] {
  const runs: Run[] = []
  for (const dark of row) {
    const last = runs[runs.length - 1]
    if (last && last.dark === dark) last.length++
    else runs.push({ dark, length: 1 })
  }
  return runs
}
