/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.css'

/** API origin for the weapp build (TARO_APP_API_BASE at build time); H5 calls its own origin. */
declare const LINLI_API_BASE: string

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn'
    TARO_APP_API_BASE?: string
  }
}
