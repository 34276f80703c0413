import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useMemo } from 'react'
import { qrMatrix, rowRuns } from './matrix'

/** Quiet zone around the code, in modules (the standard asks for 4). */
const QUIET = 4

/**
 * A QR code drawn on device with plain Views (rows of dark and light runs), so it renders the same on
 * weapp and H5 without canvas. `size` is the outer width in design px (750-wide design).
 */
export function QrCode(props: { payload: string; size?: number; className?: string }) {
  const rows = useMemo(() => qrMatrix(props.payload).map(rowRuns), [props.payload])
  const count = rows.length
  const cell = Math.max(4, Math.floor((props.size ?? 400) / (count + 2 * QUIET)))
  const px = (n: number) => Taro.pxTransform(n * cell)
  return (
    <View
      className={`qr ${props.className ?? ''}`}
      style={{ padding: px(QUIET), background: '#fff', display: 'inline-block', lineHeight: 0 }}
    >
      {rows.map((runs, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed by the payload
        <View key={r} className="qr__row" style={{ display: 'flex', height: px(1), width: px(count) }}>
          {runs.map((run, i) => (
            <View
              // biome-ignore lint/suspicious/noArrayIndexKey: runs are fixed by the payload
              key={i}
              className={run.dark ? 'qr__dark' : 'qr__light'}
              style={{
                width: px(run.length),
                height: '100%',
                flexShrink: 0,
                background: run.dark ? '#000' : '#fff',
              }}
            />
          ))}
        </View>
      ))}
    </View>
  )
}
