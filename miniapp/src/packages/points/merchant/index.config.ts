export default definePageConfig({ navigationBarTitleText: '核销工作台' })
