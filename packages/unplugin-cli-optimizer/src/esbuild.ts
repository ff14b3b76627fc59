import { unplugin } from './index.js'

/** cli-optimizer for esbuild: `cliOptimizer(options?)`. */
export default unplugin.esbuild
