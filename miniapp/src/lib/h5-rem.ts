/**
 * Sets the root font size Taro's rem units assume (designWidth 750, baseFontSize 20, clamped 20–40px).
 * Taro's H5 template does this in an inline script, which the BFF's Content-Security-Policy blocks.
 */
export function fitRootFontSize(): void {
  const fit = () => {
    const root = document.documentElement
    const { width, height } = root.getBoundingClientRect()
    const side = Math.min(...[width, height].filter(Boolean))
    root.style.fontSize = `${Math.min(40, Math.max(20, (40 * side) / 750))}px`
  }
  window.addEventListener('resize', () => {
    fit()
    setTimeout(fit, 500)
  })
  fit()
}
