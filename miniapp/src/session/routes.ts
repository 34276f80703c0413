/** Pages other pages link to. */
export const RESIDENCY_PAGE = '/packages/me/residency/index'
export const WORKBENCH_PAGE = '/packages/staff/workbench/index'
export const CLAIMS_PAGE = '/packages/staff/claims/index'
export const CLAIM_PAGE = '/packages/staff/claim/index'
export const AUDIT_PAGE = '/packages/staff/audit/index'
export const HOME_PAGE = '/pages/index/index'
export const LOGIN_PAGE = '/packages/auth/login/index'
