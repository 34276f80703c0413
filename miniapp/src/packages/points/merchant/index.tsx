import {
  codeFromScan,
  formatClock,
  formatTime,
  formatVoucherCode,
  type VoucherPreview,
  voucherStatusLabels,
  zoneDate,
} from '@linli/shared-types'
import { Input, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../points.css'
import { ActionButton, Page } from '../../../ui'

const today = () => zoneDate(new Date())

/** 商户核销: scan (weapp) or type a code, preview the voucher, 确认核销, today's redemptions. */
export default function MerchantDesk() {
  const [code, setCode] = useState('')
  const [preview, setPreview] = useState<VoucherPreview | null>(null)
  const [done, setDone] = useState<VoucherPreview[]>([])
  const loadToday = () =>
    call(
      'listMerchantRedemptions',
      { query: { from: today(), to: today(), limit: 50 } },
      { quiet: true },
    ).then(
      (r) => setDone(r.items),
      () => undefined,
    )
  useDidShow(() => void loadToday())

  const lookup = async (raw = code) =>
    setPreview(await call('lookupVoucher', { body: { code: codeFromScan(raw) } }))
  const scan = async () => {
    const res = await Taro.scanCode({ onlyFromCamera: true })
    setCode(codeFromScan(res.result))
    await lookup(res.result)
  }
  const redeem = async () => {
    if (!preview) return
    setPreview(await call('redeemVoucher', { body: { code: preview.code } }))
    void Taro.showToast({ title: '核销成功', icon: 'success' })
    void loadToday()
  }

  return (
    <Page>
      <View className="card">
        <Text className="card__title">查券</Text>
        {process.env.TARO_ENV === 'weapp' && <ActionButton onTap={scan}>扫码</ActionButton>}
        <Input
          className="field__input merchant__code"
          placeholder="输入12位券码"
          value={code}
          maxlength={20}
          onInput={(e) => setCode(e.detail.value)}
        />
        <ActionButton className="merchant__lookup" onTap={() => lookup()}>
          查询
        </ActionButton>
      </View>
      {preview && (
        <View className="card merchant__preview">
          <Text className="card__title">{preview.title}</Text>
          <Text className="muted">券码 {formatVoucherCode(preview.code)}</Text>
          <Text className="muted">持券人 {preview.holder}</Text>
          <Text className={`voucher__status voucher__status--${preview.status}`}>
            {voucherStatusLabels[preview.status]}
          </Text>
          <Text className="muted">有效期至 {formatTime(preview.expiresAt)}</Text>
          {preview.status === 'issued' && (
            <ActionButton className="merchant__redeem" onTap={redeem}>
              确认核销
            </ActionButton>
          )}
        </View>
      )}
      <Text className="section-label">今日核销（{done.length}）</Text>
      {done.map((d) => (
        <View key={d.id} className="card merchant__item">
          <Text>{d.title}</Text>
          <Text className="muted">
            {d.holder} · {d.redeemedAt ? formatClock(d.redeemedAt) : ''}
          </Text>
        </View>
      ))}
    </Page>
  )
}
