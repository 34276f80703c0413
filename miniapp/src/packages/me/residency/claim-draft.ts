import { PRIVACY_NOTICE_VERSION, ResidencyClaimInput } from '@linli/shared-types'
import { firstIssueMessage } from '../../../lib/form'
import { type FieldErrors, issuesByField } from '../../../ui/form'

/** The form's state: every field a string, empty until filled or picked. */
export interface ClaimDraft {
  communityId: string
  gridId: string
  courtyardId: string
  buildingId: string
  unit: string
  room: string
  realName: string
  phone: string
}

export const emptyDraft: ClaimDraft = {
  communityId: '',
  gridId: '',
  courtyardId: '',
  buildingId: '',
  unit: '',
  room: '',
  realName: '',
  phone: '',
}

const labels = {
  communityId: '社区',
  courtyardId: '院落',
  buildingId: '楼栋',
  unit: '单元',
  room: '门牌号',
  realName: '真实姓名',
  phone: '手机号',
}
const picked = ['communityId', 'courtyardId', 'buildingId']

/**
 * Checks the draft with the same schema the BFF applies; the grid only narrows the courtyard list.
 * Submitting under the form's notice is the consent, so the body carries the notice's version.
 */
export function validateClaim(
  draft: ClaimDraft,
): { ok: true; body: ResidencyClaimInput } | { ok: false; message: string; fields: FieldErrors } {
  const { gridId: _grid, ...input } = draft
  const result = ResidencyClaimInput.safeParse({ ...input, consentVersion: PRIVACY_NOTICE_VERSION })
  return result.success
    ? { ok: true, body: result.data }
    : {
        ok: false,
        message: firstIssueMessage(result.error, labels, picked),
        fields: issuesByField(result.error.issues, labels, picked),
      }
}
