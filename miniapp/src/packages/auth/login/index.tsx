import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { DevLogin } from './dev-login'
import { finishLogin } from './finish'
import { WechatLogin } from './wechat-login'
import './index.css'
import { ActionButton, Page } from '../../../ui'

const isH5 = process.env.TARO_ENV === 'h5'

export default function Login() {
  const { redirect } = useRouter().params
  const done = (pair: Parameters<typeof finishLogin>[0]) => finishLogin(pair, redirect)

  return (
    <Page className="login">
      <View className="login__brand">
        <View className="login__logo">邻</View>
        <Text className="login__name">邻里</Text>
        <Text className="muted">句句有回应，件件有着落</Text>
      </View>
      {isH5 ? <H5Login onDone={done} /> : <WechatLogin onDone={done} />}
    </Page>
  )
}

/** In a browser only the dev login exists; the health check says whether the BFF offers it. */
function H5Login(props: { onDone: Parameters<typeof DevLogin>[0]['onDone'] }) {
  const [state, setState] = useState<'loading' | 'dev' | 'wechat-only' | 'offline'>('loading')
  const check = useCallback(async () => {
    setState('loading')
    try {
      const health = await call('getHealth', undefined, { quiet: true })
      setState(health.devLogin ? 'dev' : 'wechat-only')
    } catch {
      setState('offline')
    }
  }, [])
  useEffect(() => {
    void check()
  }, [check])

  if (state === 'dev') return <DevLogin onDone={props.onDone} />
  if (state === 'loading') return <View className="card muted center">正在连接服务…</View>
  return (
    <View className="card center">
      <Text className="muted">
        {state === 'wechat-only' ? '请在微信中搜索并打开「邻里」小程序登录' : '暂时无法连接服务，请检查网络'}
      </Text>
      {state === 'offline' && <ActionButton onTap={check}>重试</ActionButton>}
    </View>
  )
}
