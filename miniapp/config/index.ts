import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import type { Compiler } from 'webpack'
import devConfig from './dev'
import prodConfig from './prod'

// The contract package is TypeScript source in the workspace; Taro compiles only what is listed here.
const sharedTypes = path.resolve(__dirname, '../../shared-types')

/**
 * Every operation's route (method, path, access, idempotent) from the contract, for the API client:
 * built in, so the app's first load carries no schemas (zod). Taro compiles only this folder for the
 * config, so the contract is read by a tsx child process.
 */
const routes = execFileSync(
  process.execPath,
  [require.resolve('tsx/cli'), path.resolve(__dirname, '../../scripts/operation-routes.ts')],
  { encoding: 'utf8' },
)

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2025-11-23',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      LINLI_API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE || 'http://127.0.0.1:3000'),
      LINLI_ROUTES: routes,
      LINLI_SUBSCRIBE_TEMPLATES: JSON.stringify({
        booking: process.env.TARO_APP_TMPL_BOOKING ?? '',
        need: process.env.TARO_APP_TMPL_NEED ?? '',
        vote: process.env.TARO_APP_TMPL_VOTE ?? '',
      }),
    },
    copy: { patterns: [], options: {} },
    // The same React code runs on Preact in the browser: the H5 first load carries ~10 KB of runtime
    // instead of react-dom's ~130 KB (the main cost of its Lighthouse score). The mini-program keeps
    // React, whose reconciler Taro drives there and which its code-package size allows.
    framework: process.env.TARO_ENV === 'h5' ? 'preact' : 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: [sharedTypes] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]' },
        },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedTypes] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]' },
        },
      },
      // Taro splits only initial chunks on H5, so every lazy page would carry its own copy of the
      // API client and the contract (zod); split async chunks too so pages share one copy. Taro's
      // minSize 0 made a chunk of every shared 1 KB module: a first screen fetched a dozen of them,
      // each a request on a phone's network; below 10 KB a module rides in the pages that use it.
      webpackChain(chain) {
        chain.optimization.splitChunks({
          ...chain.optimization.get('splitChunks'),
          chunks: 'all',
          minSize: 10_000,
        })
        // LINLI_STATS=<file>: write which modules each chunk holds (to see what a first load carries).
        const statsFile = process.env.LINLI_STATS
        if (statsFile) {
          chain.plugin('linli-stats').use(
            class {
              apply(compiler: Compiler) {
                compiler.hooks.done.tap('linli-stats', (stats) => {
                  const json = stats.toJson({ all: false, chunks: true, chunkModules: true, ids: true })
                  writeFileSync(statsFile, JSON.stringify(json))
                })
              }
            },
          )
        }
      },
    },
  }
  return process.env.NODE_ENV === 'development'
    ? merge({}, baseConfig, devConfig)
    : merge({}, baseConfig, prodConfig)
})
