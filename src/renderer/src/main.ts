import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { z } from 'zod'
import App from './App.vue'
import './charts'
import './styles.css'

// The page's CSP forbids eval; tell zod not to try its compiled fast path.
z.config({ jitless: true })

createApp(App).use(createPinia()).mount('#app')
