/**
 * Test-only fault injection for the redemption saga and the ledger: a test names a step and the code
 * throws right after it, as if the process had crashed there (no in-process compensation), or, with
 * mode 'error', as an ordinary failure the request itself must undo. Inert unless NODE_ENV=test.
 */
export type FaultStep =
  | 'afterIntent'
  | 'afterBalance'
  | 'afterCharge'
  | 'afterStock'
  | 'afterVoucher'
  | 'afterVoucherStatus'
export type FaultMode = 'crash' | 'error'

export class SimulatedCrash extends Error {
  constructor(readonly step: FaultStep) {
    super(`simulated crash after ${step}`)
  }
}

let armed: { step: FaultStep; mode: FaultMode; times: number } | null = null

export function setFault(step: FaultStep | null, mode: FaultMode = 'crash', times = 1): void {
  if (process.env.NODE_ENV !== 'test') throw new Error('fault injection is for tests only')
  armed = step ? { step, mode, times } : null
}

export function fault(step: FaultStep): void {
  if (!armed || armed.step !== step || process.env.NODE_ENV !== 'test') return
  if (--armed.times <= 0) {
    const { mode } = armed
    armed = null
    if (mode === 'crash') throw new SimulatedCrash(step)
    throw new Error(`injected failure after ${step}`)
  }
}
