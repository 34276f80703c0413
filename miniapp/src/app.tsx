import type { PropsWithChildren } from 'react'
import { fitRootFontSize } from './lib/h5-rem'
import { prefetchMe } from './session/use-me'
import { initCare } from './ui'
import { initPrivacyGate } from './ui/privacy-gate'
import './ui/tokens.css'
import './ui/kit.css'
import './ui/h5.css'

initPrivacyGate()
prefetchMe()
if (process.env.TARO_ENV === 'h5') {
  fitRootFontSize()
  initCare()
}

export default function App({ children }: PropsWithChildren) {
  return <>{children}</>
}
