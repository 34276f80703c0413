export default definePageConfig({ navigationBarTitleText: '反映处理' })
