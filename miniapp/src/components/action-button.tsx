import { View } from '@tarojs/components'
import { useState } from 'react'

/** A button that ignores taps while its action runs, so a double tap cannot submit twice. */
export function ActionButton(props: {
  children: string
  onTap: () => Promise<unknown> | unknown
  kind?: 'primary' | 'ghost' | 'danger'
  className?: string
}) {
  const [busy, setBusy] = useState(false)
  const kind = props.kind && props.kind !== 'primary' ? ` btn--${props.kind}` : ''
  const tap = async () => {
    if (busy) return
    setBusy(true)
    try {
      await props.onTap()
    } catch {
      // The API client has already shown the problem.
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`btn${kind}${busy ? ' btn--busy' : ''} ${props.className ?? ''}`} onClick={tap}>
      {busy ? '请稍候…' : props.children}
    </View>
  )
}
