import {
  codeFromScan,
  formatClock,
  formatTime,
  formatVoucherCode,
  type VoucherPreview,
  voucherStatusLabels,
  zoneDate,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../points.css'
import { ActionButton, Field, Page, useFieldErrors } from '../../../ui'

const today = () => zoneDate(new Date())

/** 商户核销: scan (weapp) or type a code, preview the voucher, 确认核销, today's redemptions. */
export default function MerchantDesk() {
  const [code, setCode] = useState('')
  const [preview, setPreview] = useState<VoucherPreview | null>(null)
  const [done, setDone] = useState<VoucherPreview[]>([])
  const form = useFieldErrors()
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

  const lookup = async (raw = code) => {
    const found = await form.submit(call('lookupVoucher', { body: { code: codeFromScan(raw) } }))
    if (found) setPreview(found)
  }
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
        <Field
          className="merchant__code"
          label="券码"
          hint="12位，写在居民的券上（空格和横线可不输）"
          value={code}
          {...form.bind('code', setCode)}
          maxlength={20}
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
            <ActionButton
              className="merchant__redeem"
              confirm={{ title: '确认核销', content: '核销后这张券即失效，不能撤销', confirmText: '核销' }}
              onTap={redeem}
            >
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
