import { defineSuite } from './suite-programs.js'

defineSuite('rolldown')
