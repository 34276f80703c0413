import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { useCare } from './care'

/** Every page's root: the page padding and background, and the care-mode class. */
export function Page(props: { className?: string; children?: ReactNode }) {
  const care = useCare()
  return (
    <View className={`page${care ? ' care' : ''}${props.className ? ` ${props.className}` : ''}`}>
      {props.children}
    </View>
  )
}
