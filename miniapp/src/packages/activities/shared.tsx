import {
  formatClock,
  formatDay,
  formatTimeRange,
  type Session,
  type SignUpStatus,
  signUpStatusLabels,
  zoneMidnight,
} from '@linli/shared-types'
import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { ActionButton, Tag } from '../../ui'

export const LIST_PAGE = '/packages/activities/list/index'
export const DETAIL_PAGE = '/packages/activities/detail/index'
export const MINE_PAGE = '/packages/activities/mine/index'
export const ITEMS_PAGE = '/packages/activities/items/index'
export const LOANS_PAGE = '/packages/activities/loans/index'
export const DESK_PAGE = '/packages/activities/desk/index'
export const PUBLISH_PAGE = '/packages/activities/publish/index'
export const ROSTER_PAGE = '/packages/activities/roster/index'

export const weekdayNames = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** A day heading for a local date string: 今天 / 明天 / 12月8日 周二. */
export const dayLabel = (date: string): string => formatDay(zoneMidnight(date))

/** '19:00–21:00' */
export const clockRange = (start: string, end: string): string => `${formatClock(start)}–${formatClock(end)}`

/** '12月8日 周二 19:00–21:00' (今天 19:00–21:00 today). */
export const sessionWhen = (start: string, end: string): string => formatTimeRange(start, end)

/** '1小时30分钟' */
export function minutesLabel(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${h ? `${h}小时` : ''}${m || !h ? `${m}分钟` : ''}`
}

const tones: Record<SignUpStatus, 'ok' | 'wait' | 'bad' | 'none'> = {
  confirmed: 'ok',
  waitlisted: 'wait',
  cancelled: 'none',
  checkedIn: 'ok',
  checkedOut: 'none',
}

export function SignUpTag(props: { status: SignUpStatus; position?: number | null }) {
  const label =
    props.status === 'waitlisted' && props.position
      ? `候补第${props.position}位`
      : signUpStatusLabels[props.status]
  return <Tag tone={tones[props.status]}>{label}</Tag>
}

/** Places left, or the waitlist length once full. */
export function placesLabel(s: Pick<Session, 'places' | 'confirmed' | 'waitlisted' | 'status'>): string {
  if (s.status === 'cancelled') return '本场已取消'
  const left = s.places - s.confirmed
  return left > 0 ? `剩余${left}个名额（共${s.places}）` : `已满 · ${s.waitlisted}人候补`
}

export const toast = (title: string) => Taro.showToast({ title, icon: 'none', duration: 2000 })

/**
 * Gets a code at a desk or a session: the camera on weapp (Taro.scanCode), or typing on H5 where there
 * is no scanner. `onCode` gets the code; the input is cleared once it succeeds.
 */
export function CodeEntry(props: {
  className: string
  label: string
  action: string
  onCode: (code: string) => Promise<unknown>
}) {
  const [code, setCode] = useState('')
  const submit = async (value: string) => {
    const trimmed = value.trim()
    if (!trimmed) return toast('请输入码')
    await props.onCode(trimmed)
    setCode('')
  }
  if (process.env.TARO_ENV === 'weapp')
    return (
      <ActionButton
        className={`${props.className}-scan`}
        onTap={async () => submit((await Taro.scanCode({ onlyFromCamera: true })).result)}
      >
        {`扫码${props.action}`}
      </ActionButton>
    )
  return (
    <View className={`code-entry ${props.className}`}>
      <Text className="field__label">{props.label}</Text>
      <Input
        className="code-entry__input"
        value={code}
        maxlength={16}
        placeholder="请输入码"
        placeholderStyle="color:#8a8f99"
        onInput={(e) => setCode(e.detail.value)}
      />
      <ActionButton className={`${props.className}-submit`} onTap={() => submit(code)}>
        {props.action}
      </ActionButton>
    </View>
  )
}
