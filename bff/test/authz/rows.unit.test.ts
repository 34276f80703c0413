import { type OperationDef, operations, recordKinds } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { rows } from './rows'

describe('authorization matrix table', () => {
  it('has one row per operation, no more and no less', () => {
    expect(Object.keys(rows).sort()).toEqual(Object.keys(operations).sort())
  })

  it('declares a scope the mounter can enforce on every operation', () => {
    for (const [id, def] of Object.entries(operations) as [string, OperationDef][]) {
      const scope = def.scope
      if (scope.kind === 'record') {
        expect(def.path, id).toContain(':id')
        expect(recordKinds, id).toContain(scope.record)
      }
      if (scope.kind === 'community' && scope.idIn === 'path') expect(def.path, id).toContain(':id')
      // Public operations never reach a community's records by the caller's role.
      if (def.access === 'public') expect(['none', 'catalogue'], id).toContain(scope.kind)
    }
  })
})
