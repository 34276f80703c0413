import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'

/**
 * WeChat's privacy authorisation (required since 2023): when a privacy API (phone, location, camera,
 * clipboard…) is first used, WeChat asks the app to show its own consent; the agree button must be
 * WeChat's `agreePrivacyAuthorization` button. weapp only; H5 has no such step.
 */
type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void
let pending: Resolve | null = null
const listeners = new Set<(open: boolean) => void>()

export function initPrivacyGate(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve
    resolve({ event: 'exposureAuthorization' })
    for (const l of listeners) l(true)
  })
}

function settle(option: Taro.onNeedPrivacyAuthorization.ResolveOption): void {
  pending?.(option)
  pending = null
  for (const l of listeners) l(false)
}

const AGREE_ID = 'agree-privacy'

export function PrivacyGate() {
  const [open, setOpen] = useState(false)
  useEffect(() => {
    listeners.add(setOpen)
    setOpen(pending !== null)
    return () => {
      listeners.delete(setOpen)
    }
  }, [])
  if (process.env.TARO_ENV !== 'weapp' || !open) return null
  return (
    <View className="privacy-gate">
      <View className="card privacy-gate__box">
        <Text className="card__title">用户隐私保护提示</Text>
        <Text className="muted">
          使用此功能前，请阅读并同意《邻里隐私保护指引》。我们只在您使用相关功能时收集必要的信息。
        </Text>
        <View className="link" onClick={() => Taro.openPrivacyContract({})}>
          查看《邻里隐私保护指引》
        </View>
        <View className="btn-row">
          <View className="btn btn--ghost" onClick={() => settle({ event: 'disagree' })}>
            拒绝
          </View>
          <Button
            id={AGREE_ID}
            className="btn"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={() => settle({ event: 'agree', buttonId: AGREE_ID })}
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  )
}
