import type { TokenPair } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { call } from '../../../api'
import { ActionButton } from '../../../ui'

/** WeChat sign-in: wx.login's one-time code is exchanged by the BFF for our own tokens. */
export function WechatLogin(props: { onDone: (pair: TokenPair) => Promise<void> }) {
  const login = async () => {
    const { code } = await Taro.login()
    if (!code) {
      await Taro.showToast({ title: '微信登录失败，请重试', icon: 'none' })
      return
    }
    await props.onDone(await call('loginWechat', { body: { code } }))
  }
  return (
    <View className="card center">
      <Text className="muted">登录后即可使用社区服务</Text>
      <ActionButton onTap={login}>微信一键登录</ActionButton>
    </View>
  )
}
