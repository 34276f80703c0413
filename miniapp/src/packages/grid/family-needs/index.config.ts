export default definePageConfig({ navigationBarTitleText: '家人的反映' })
