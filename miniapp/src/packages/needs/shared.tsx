import {
  formatTime,
  type NeedLevel,
  type NeedStatus,
  type NeedSummary,
  needLevelLabels,
  needStatusLabels,
  needUrgencyLabels,
} from '@linli/shared-types'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Steps, Tag } from '../../ui'

export const NEW_NEED_PAGE = '/packages/needs/new/index'
export const MY_NEEDS_PAGE = '/packages/needs/mine/index'
export const NEED_PAGE = '/packages/needs/detail/index'
export const NEED_QUEUE_PAGE = '/packages/needs/queue/index'
export const NEED_STATS_PAGE = '/packages/needs/stats/index'

export const handlerRoles = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const

const tones: Record<NeedStatus, 'ok' | 'wait' | 'bad' | 'none'> = {
  submitted: 'wait',
  accepted: 'wait',
  inProgress: 'wait',
  reopened: 'bad',
  referred: 'wait',
  resolved: 'ok',
  closed: 'ok',
  duplicate: 'none',
  rejected: 'bad',
  withdrawn: 'none',
}

export const StatusTag = (p: { status: NeedStatus }) => (
  <Tag tone={tones[p.status]}>{needStatusLabels[p.status]}</Tag>
)
export const levelLabel = (l: NeedLevel) => needLevelLabels[l]
export const urgencyLabel = needUrgencyLabels

/** 1天2小时 / 3小时5分 / 12分钟; overdue reads 已超时… */
export function formatLeft(seconds: number): string {
  const late = seconds < 0
  const s = Math.abs(seconds)
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const text = d ? `${d}天${h}小时` : h ? `${h}小时${m}分` : `${m}分${s % 60}秒`
  return late ? `已超时${text}` : `剩余${text}`
}

/** In the community's zone, like every date the app shows (the shared formatter). */
export { formatTime } from '@linli/shared-types'

/** Re-renders every second so countdowns tick. */
export function useTick(): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [])
  return now
}

const progress = ['已提交', '已受理', '办理中', '已办结']
const reached: Partial<Record<NeedStatus, number>> = {
  submitted: 0,
  accepted: 1,
  inProgress: 2,
  referred: 2,
  reopened: 2,
  resolved: 3,
  closed: 3,
}

/** Where a need stands for the resident (已提交 → 已受理 → 办理中 → 已办结); none once withdrawn or merged. */
export function NeedSteps(props: { status: NeedStatus }) {
  const at = reached[props.status]
  return at === undefined ? null : <Steps className="need-steps" steps={progress} at={at} />
}

export function NeedCard(props: {
  need: NeedSummary
  loadedAt: number
  now: number
  countdown?: boolean
  steps?: boolean
}) {
  const n = props.need
  const left = n.secondsLeft === null ? null : n.secondsLeft - Math.floor((props.now - props.loadedAt) / 1000)
  return (
    <View className="card need-card" onClick={() => Taro.navigateTo({ url: `${NEED_PAGE}?id=${n.id}` })}>
      <View className="row">
        <Text className="need-card__title">{n.title}</Text>
        <StatusTag status={n.status} />
      </View>
      <Text className="muted">
        {n.categoryName} · {levelLabel(n.level)} · {urgencyLabel[n.urgency]} · {formatTime(n.createdAt)}
      </Text>
      {props.countdown && left !== null && (
        <Text className={`need-card__left ${left < 0 ? 'need-card__left--late' : ''}`}>
          {formatLeft(left)}
        </Text>
      )}
      {props.steps && <NeedSteps status={n.status} />}
    </View>
  )
}

const TOKENS_KEY = 'linli.tokens'
const apiBase = () => (process.env.TARO_ENV === 'h5' ? '' : LINLI_API_BASE)
export const authHeader = (): Record<string, string> => {
  const t = Taro.getStorageSync(TOKENS_KEY) as { accessToken?: string } | ''
  const token = t ? t.accessToken : undefined
  return token ? { Authorization: `Bearer ${token}` } : {}
}

/** Uploads one chosen image (multipart, as wx.uploadFile sends it); returns the photo id. */
export async function uploadPhoto(filePath: string): Promise<string> {
  const res = await Taro.uploadFile({
    url: `${apiBase()}/api/v1/need-photos`,
    filePath,
    name: 'file',
    header: authHeader(),
  })
  const body = JSON.parse(res.data) as { id?: string; title?: string }
  if (res.statusCode !== 201 || !body.id) throw new Error(body.title ?? '上传失败')
  return body.id
}

/** A need's photo, fetched with the session (photos are private) and shown as a data URL. */
export function NeedPhoto(props: { needId: string; photoId: string }) {
  const [src, setSrc] = useState('')
  useEffect(() => {
    Taro.request({
      url: `${apiBase()}/api/v1/needs/${props.needId}?photo=${props.photoId}`,
      header: authHeader(),
      responseType: 'arraybuffer',
    }).then(
      (r) => {
        if (r.statusCode !== 200) return
        const type = String(r.header?.['Content-Type'] ?? r.header?.['content-type'] ?? 'image/jpeg')
        // Taro H5's arrayBufferToBase64 hands the buffer to base64-js, which needs a Uint8Array.
        const bytes = process.env.TARO_ENV === 'h5' ? new Uint8Array(r.data as ArrayBuffer) : r.data
        setSrc(`data:${type};base64,${Taro.arrayBufferToBase64(bytes as ArrayBuffer)}`)
      },
      () => {},
    )
  }, [props.needId, props.photoId])
  return src ? <Image className="need-photo" src={src} mode="aspectFill" /> : <View className="need-photo" />
}
