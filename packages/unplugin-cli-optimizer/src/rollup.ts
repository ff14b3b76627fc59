import { unplugin } from './index.js'

/** cli-optimizer for rollup: `cliOptimizer(options?)`. */
export default unplugin.rollup
