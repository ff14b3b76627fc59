export { BUNDLERS, build, ESBUILD_REQUIRE_BANNER, type Bundler, type BuildRequest } from './bundlers.js'
export { buildFixture, FIXTURES, TEST_ROOT, type BuiltFixture, type FixtureBuildOptions } from './fixture.js'
export { runNode, type RunOptions, type RunResult } from './run-node.js'
export { loadedFiles } from './loaded-files.js'
