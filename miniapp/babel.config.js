// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// H5 is read in today's browsers (WeChat's built-in one included): compiling for them, not for the
// package.json browserslist the mini-program keeps, leaves async functions and classes native and the
// first load smaller. The weapp build is unchanged.
const h5Targets = { chrome: '80', safari: '13', ios: '13' }

module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
        ...(process.env.TARO_ENV === 'h5' ? { targets: h5Targets } : {}),
      },
    ],
  ],
}
