export default definePageConfig({ navigationBarTitleText: '录入现场票' })
