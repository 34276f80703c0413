import type { PropsWithChildren } from 'react'
import { fitRootFontSize } from './lib/h5-rem'
import { initCare } from './ui'
import './ui/tokens.css'
import './ui/kit.css'
import './ui/h5.css'

if (process.env.TARO_ENV === 'h5') {
  fitRootFontSize()
  initCare()
}

export default function App({ children }: PropsWithChildren) {
  return <>{children}</>
}
