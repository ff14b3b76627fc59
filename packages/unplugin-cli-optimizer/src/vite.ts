import { unplugin } from './index.js'

/** cli-optimizer for vite: `cliOptimizer(options?)`. */
export default unplugin.vite
