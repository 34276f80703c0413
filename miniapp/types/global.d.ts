/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.css'

/** API origin for the weapp build (TARO_APP_API_BASE at build time); H5 calls its own origin. */
declare const LINLI_API_BASE: string
/** Subscribe-message template ids from the WeChat console (TARO_APP_TMPL_*), empty when not set. */
/** Every operation's route, computed from the contract at build time (scripts/operation-routes.ts). */
declare const LINLI_ROUTES: Record<
  import('@linli/shared-types').OperationId,
  import('@linli/shared-types').OperationRoute
>
declare const LINLI_SUBSCRIBE_TEMPLATES: { booking: string; need: string; vote: string }

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn'
    TARO_APP_API_BASE?: string
  }
}
