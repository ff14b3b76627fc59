import { unplugin } from './index.js'

/** cli-optimizer for rolldown: `cliOptimizer(options?)`. */
export default unplugin.rolldown
