import type { Roster } from '@linli/shared-types'
import { formatClock } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import { QrCode } from '../../../components/qr/qr-code'
import { StaffOnly } from '../../../components/staff-only'
import { useMe } from '../../../session/use-me'
import { minutesLabel, placesLabel, SignUpTag, sessionWhen, toast } from '../shared'
import '../activities.css'
import { ActionButton, Field, Page, Skeleton, useFieldErrors } from '../../../ui'

/** A session's roster for the organiser: the check-in code to show, who is in, waiting, checked in. */
export default function RosterPage() {
  const { me } = useMe()
  const { params } = useRouter()
  const [roster, setRoster] = useState<Roster | null>(null)
  const [failed, setFailed] = useState(false)
  const [message, setMessage] = useState('')
  const form = useFieldErrors({ body: '内容' })
  const load = async () => {
    setFailed(false)
    try {
      setRoster(await call('getSessionRoster', { params: { id: params.id ?? '' } }))
    } catch {
      setFailed(true)
    }
  }
  useDidShow(() => {
    void load()
  })
  const send = async () => {
    if (!message.trim()) return form.setErrors({ body: '请输入消息内容' })
    const { confirm } = await Taro.showModal({ title: '发送消息', content: '发给本场已报名的居民？' })
    if (!confirm) return
    const done = await form.submit(
      call('messageSessionRoster', { params: { id: params.id ?? '' }, body: { body: message } }),
    )
    if (!done) return
    setMessage('')
    await toast(`已发送给${done.sent}人`)
  }

  const s = roster?.session
  return (
    <StaffOnly me={me} what="场次名单">
      <Page className="act">
        {failed && (
          <View className="card center">
            <Text className="muted">名单没有加载出来</Text>
            <ActionButton kind="ghost" onTap={load}>
              重试
            </ActionButton>
          </View>
        )}
        {!roster && !failed && <Skeleton />}
        {s && (
          <View className="card">
            <Text className="act-card__title">{s.title}</Text>
            <Text className="act-card__line">{sessionWhen(s.start, s.end)}</Text>
            <Text className="act-card__line">{placesLabel(s)}</Text>
            {s.checkInCode && (
              <View>
                <Text className="muted">现场签到码（请居民扫码或输入）</Text>
                <View className="act-center">
                  <QrCode payload={s.checkInCode} size={360} />
                </View>
                <Text className="code-big session-code">{s.checkInCode}</Text>
              </View>
            )}
          </View>
        )}
        {roster && (
          <View className="card">
            <Text className="card__title">名单（{roster.entries.length}人）</Text>
            {roster.entries.length === 0 && <Text className="muted">还没有人报名</Text>}
            {roster.entries.map((e) => (
              <View key={e.signUpId} className="row roster-entry">
                <Text className="row__label">
                  {e.name}
                  {e.phone ? ` ${e.phone}` : ''}
                </Text>
                <View className="row__value">
                  <SignUpTag status={e.status} position={e.position} />
                  {e.checkedInAt && <Text className="muted">{` 签到${formatClock(e.checkedInAt)}`}</Text>}
                  {e.servedMinutes !== null && (
                    <Text className="muted">{` 服务${minutesLabel(e.servedMinutes)}`}</Text>
                  )}
                </View>
              </View>
            ))}
          </View>
        )}
        {roster && (
          <View className="card">
            <Text className="card__title">给名单发消息</Text>
            <Field
              className="roster-message"
              label="内容"
              value={message}
              maxlength={200}
              hint="最多200个字"
              {...form.bind('body', setMessage)}
            />
            <ActionButton className="roster-send" onTap={send}>
              发送
            </ActionButton>
          </View>
        )}
      </Page>
    </StaffOnly>
  )
}
