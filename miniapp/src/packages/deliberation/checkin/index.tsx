import { formatTime, parseDayCheckIn } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { ApiError, call } from '../../../api'
import { ActionButton, Empty, Field, Loadable, Page, Result, useLoad } from '../../../ui'
import '../meeting.css'

const canScan = process.env.TARO_ENV === 'weapp'

/**
 * A resident signs in at the meeting: on WeChat by scanning the door QR (`scanCode`), in a browser by
 * typing the code shown under it (for the community's next day).
 */
export default function CheckIn() {
  const next = useLoad(
    useCallback(
      async () =>
        (await call('listDeliberationDays', { query: { upcoming: 'true', limit: '1' } })).items[0] ?? null,
      [],
    ),
  )
  const [code, setCode] = useState('')
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<{ count: number } | null>(null)
  const submit = async (dayId: string, typed: string) => {
    setError(undefined)
    try {
      const res = await call(
        'checkInDeliberationDay',
        { params: { id: dayId }, body: { code: typed } },
        { quiet: true },
      )
      setDone({ count: res.attendanceCount })
    } catch (e) {
      setError(e instanceof ApiError ? e.title : '签到失败，请重试')
    }
  }
  const scan = async (fallbackDay: string | undefined) => {
    const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
    const { dayId, code: scanned } = parseDayCheckIn(result)
    const target = dayId ?? fallbackDay
    if (!target) return setError('没有找到要签到的议事日')
    await submit(target, scanned)
  }
  if (done)
    return (
      <Page>
        <Result title="签到成功" text={`欢迎参加爱邻议事日，现场已有 ${done.count} 人签到`} />
      </Page>
    )
  return (
    <Page className="checkin">
      <Loadable load={next}>
        {(day) =>
          day ? (
            <View className="card">
              <Text className="card__title">爱邻议事日 {formatTime(day.startsAt)}</Text>
              <Text className="muted">{day.place}</Text>
              {canScan && (
                <ActionButton className="checkin-scan" onTap={() => scan(day.id)}>
                  扫描会场二维码
                </ActionButton>
              )}
              <Field
                className="checkin-code"
                label="签到码"
                hint="会场二维码下方的 10 位字母和数字，不区分大小写"
                value={code}
                onInput={setCode}
                maxlength={16}
                error={error}
              />
              <ActionButton
                className="checkin-submit"
                onTap={() => submit(day.id, parseDayCheckIn(code).code)}
              >
                签到
              </ActionButton>
            </View>
          ) : (
            <Empty text="近期没有安排议事日" note="议事日一般在每月 20 日" />
          )
        }
      </Loadable>
    </Page>
  )
}
