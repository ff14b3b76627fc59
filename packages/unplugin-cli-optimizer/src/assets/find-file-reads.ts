import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Node } from '@babel/types'
import { walk } from '../core/ast/walk.js'
import { freeGlobals } from '../node-compat/free-globals.js'
import { contextOf, type ContextReference } from './context-module.js'

/**
 * How a module names a file relative to itself:
 * - `url`: `new URL('./x', import.meta.url)`
 * - `join`: `path.join(dir, 'a', 'b')` / `path.resolve(dir, …)` with `dir` the module's folder
 * - `concat`: `dir + '/x'`
 * - `require`: `createRequire(import.meta.url)('./x.json')`, directly or through a variable
 */
export type FileReferenceForm = 'url' | 'join' | 'concat' | 'require'

export interface FileReference {
  form: FileReferenceForm
  /** Absolute path the module means, as it was at build time. */
  file: string
  /** Source range holding the path part to rewrite (one string, or the path arguments). */
  start: number
  end: number
  /** A whole expression that may be replaced by the file's content, when small enough. */
  inline: { start: number; end: number; as: 'text' | 'json' } | undefined
  line: number
  column: number
}

export interface ComputedReference {
  line: number
  column: number
  /** The expression as written, for the warning. */
  text: string
}

/**
 * The module's own location handed to code that looks for the package root from it:
 * `meow({ importMeta: import.meta })` (`form: 'import-meta'`), `readPackageUpSync({ cwd: __dirname })`,
 * `packageDirectorySync({ cwd: import.meta.dirname })`, `pkgDir.sync(__dirname)` (`form: 'dir'`).
 */
export interface LocationHandOff {
  form: 'import-meta' | 'dir'
  start: number
  end: number
  line: number
  column: number
}

/**
 * `require.resolve('pkg/package.json')` (a package's own or another's file found by name) with a
 * static specifier: `esm` when the require comes from `createRequire(import.meta.url)`.
 */
export interface ResolveCall {
  specifier: string
  /** The whole call, replaced by the path of the file's copy. */
  start: number
  end: number
  esm: boolean
  line: number
  column: number
}

/** `require.main.path` / `require.main?.filename`: the program's main module, which ESM output lacks. */
export interface MainModuleRead {
  property: 'path' | 'filename'
  start: number
  end: number
  line: number
  column: number
}

export interface FileReads {
  references: FileReference[]
  computed: ComputedReference[]
  handOffs: LocationHandOff[]
  resolves: ResolveCall[]
  mainReads: MainModuleRead[]
  /** `join(root, 'default-files')` with `root = dirname(require.resolve('x/package.json'))`: a file of package x. */
  packageFiles: Array<{ specifier: string; parts: string[]; line: number; column: number }>
  /** Computed paths below a static folder of the module's package (context modules). */
  contexts: Array<ContextReference & { base: '__dirname' | 'import.meta.dirname' }>
}

/** Functions that find a package root or manifest by walking up from a folder they are given. */
const ROOT_FINDERS = new Set(['readPackageUp', 'readPackageUpSync', 'readPkgUp', 'readPkgUpSync', 'packageDirectory', 'packageDirectorySync', 'pkgDir', 'pkgDirSync', 'packageUp', 'packageUpSync', 'pkgUp', 'pkgUpSync'])

/** `pkgDir.sync(x)`, `readPkgUp.sync({ cwd })`: the finder is the object, `sync` the method. */
function rootFinderCall(node: AnyNode): boolean {
  if (node.type !== 'CallExpression') return false
  const callee = node.callee as AnyNode
  if (callee.type === 'Identifier') return ROOT_FINDERS.has(callee.name)
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false
  if (ROOT_FINDERS.has(callee.property.name)) return true
  return callee.property.name === 'sync' && callee.object.type === 'Identifier' && ROOT_FINDERS.has(callee.object.name)
}

type AnyNode = Node & Record<string, any>

const isMember = (node: AnyNode | undefined): node is AnyNode => (node?.type === 'MemberExpression' || node?.type === 'OptionalMemberExpression') && !node.computed

function isImportMetaProp(node: AnyNode | null | undefined, prop: string): boolean {
  return (
    node?.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'MetaProperty' &&
    node.object.meta.name === 'import' &&
    node.property.type === 'Identifier' &&
    node.property.name === prop
  )
}

/** A string with a static value: a literal or a template without expressions. */
function staticString(node: AnyNode | null | undefined): string | undefined {
  if (node?.type === 'StringLiteral') return node.value
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined
  return undefined
}

/** `name(...)` or `anything.name(...)`. */
function calleeName(node: AnyNode): string | undefined {
  const callee = node.callee as AnyNode
  if (callee.type === 'Identifier') return callee.name
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed && callee.property.type === 'Identifier') {
    return callee.property.name
  }
  return undefined
}

function isCall(node: AnyNode | null | undefined, name: string): node is AnyNode {
  return (node?.type === 'CallExpression' || node?.type === 'OptionalCallExpression') && calleeName(node) === name
}

const UTF8 = new Set(['utf8', 'utf-8'])

/** `readFileSync(x, 'utf8')` or `readFileSync(x, { encoding: 'utf8' })` with x the argument. */
function isSyncTextRead(call: AnyNode | undefined, argument: AnyNode): boolean {
  if (!call || !isCall(call, 'readFileSync') || call.arguments[0] !== argument) return false
  const encoding = call.arguments[1] as AnyNode | undefined
  const value = staticString(encoding)
  if (value !== undefined) return UTF8.has(value.toLowerCase())
  if (encoding?.type !== 'ObjectExpression' || encoding.properties.length !== 1) return false
  const prop = encoding.properties[0] as AnyNode
  return prop.type === 'ObjectProperty' && !prop.computed && (prop.key as AnyNode).name === 'encoding' && UTF8.has(String(staticString(prop.value)).toLowerCase())
}

/**
 * Finds the files a module reads relative to its own location. Names bound to the module's
 * folder or file (`const __dirname = dirname(fileURLToPath(import.meta.url))`, CommonJS's free
 * `__dirname`) are recognised by how they are initialised, without scope tracking.
 */
export function findFileReads(program: Node, id: string, code: string): FileReads {
  const moduleDir = path.dirname(id)
  const free = freeGlobals(program, new Set(['__dirname', '__filename', 'require']))
  const dirNames = new Set<string>()
  const fileNames = new Set<string>()
  const requireNames = new Set<string>()
  if (free.has('__dirname')) dirNames.add('__dirname')
  if (free.has('__filename')) fileNames.add('__filename')

  const isModuleFile = (node: AnyNode | null | undefined): boolean =>
    isImportMetaProp(node, 'filename') ||
    (node?.type === 'Identifier' && fileNames.has(node.name)) ||
    (isCall(node, 'fileURLToPath') && isImportMetaProp(node!.arguments[0], 'url'))
  const isModuleDir = (node: AnyNode | null | undefined): boolean =>
    isImportMetaProp(node, 'dirname') ||
    (node?.type === 'Identifier' && dirNames.has(node.name)) ||
    (isCall(node, 'dirname') && isModuleFile(node!.arguments[0])) ||
    (isCall(node, 'fileURLToPath') && node!.arguments[0]?.type === 'NewExpression' && isUrlOf(node!.arguments[0], (s) => s === '.' || s === './'))
  const isUrlOf = (node: AnyNode, accept: (spec: string) => boolean): boolean =>
    node.callee.type === 'Identifier' &&
    node.callee.name === 'URL' &&
    isImportMetaProp(node.arguments[1], 'url') &&
    accept(staticString(node.arguments[0]) ?? '\0')

  // Pass 1: names bound to the module's file, folder, or a require created for it. Declarations
  // come before their uses in nearly all code; two rounds settle `__dirname = dirname(__filename)`.
  for (let round = 0; round < 2; round++) {
    walk(program, (node) => {
      const n = node as AnyNode
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier') return
      if (isModuleFile(n.init)) fileNames.add(n.id.name)
      else if (isModuleDir(n.init)) dirNames.add(n.id.name)
      else if (isCall(n.init, 'createRequire') && (isImportMetaProp(n.init.arguments[0], 'url') || isModuleFile(n.init.arguments[0]))) {
        requireNames.add(n.id.name)
      }
    })
  }

  const references: FileReference[] = []
  const computed: ComputedReference[] = []
  const handOffs: LocationHandOff[] = []
  const resolves: ResolveCall[] = []
  const mainReads: MainModuleRead[] = []
  const contexts: FileReads['contexts'] = []
  const packageFiles: FileReads['packageFiles'] = []
  /** Names bound to a package root found by name: `dirname(require.resolve('x/package.json'))`. */
  const packageRoots = new Map<string, string>()
  walk(program, (node) => {
    const n = node as AnyNode
    if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || !isCall(n.init, 'dirname')) return
    const inner = n.init.arguments[0] as AnyNode | undefined
    if ((inner?.type !== 'CallExpression' && inner?.type !== 'OptionalCallExpression') || !isMember(inner.callee) || inner.callee.property.name !== 'resolve') return
    const specifier = staticString(inner.arguments[0])
    if (specifier?.endsWith('/package.json')) packageRoots.set(n.id.name, specifier)
  })
  const at = (node: AnyNode) => ({ line: node.loc!.start.line, column: node.loc!.start.column + 1 })
  const refuseComputed = (node: AnyNode): void => {
    computed.push({ ...at(node), text: code.slice(node.start!, node.end!) })
  }

  walk(program, (node, parents) => {
    const n = node as AnyNode
    const parent = parents[parents.length - 1] as AnyNode | undefined
    // `require.main.path`: CommonJS's free require only (a local `require` is something else).
    if (isMember(n) && n.property.name === 'main' && n.object.type === 'Identifier' && n.object.name === 'require' && free.has('require')) {
      if (isMember(parent) && parent.object === n && (parent.property.name === 'path' || parent.property.name === 'filename')) {
        mainReads.push({ property: parent.property.name, start: parent.start!, end: parent.end!, ...at(parent) })
      }
      return false
    }
    if ((n.type === 'CallExpression' || n.type === 'OptionalCallExpression') && isMember(n.callee) && n.callee.property.name === 'resolve' && n.arguments.length === 1) {
      const target = n.callee.object as AnyNode
      const cjs = target.type === 'Identifier' && target.name === 'require' && free.has('require')
      const created = (target.type === 'Identifier' && requireNames.has(target.name)) || (isCall(target, 'createRequire') && isImportMetaProp(target.arguments[0], 'url'))
      const specifier = staticString(n.arguments[0])
      if ((cjs || created) && specifier !== undefined) {
        resolves.push({ specifier, start: n.start!, end: n.end!, esm: !cjs, ...at(n) })
        return false
      }
    }
    if (n.type === 'MetaProperty' && n.meta.name === 'import' && parent?.type !== 'MemberExpression') {
      handOffs.push({ form: 'import-meta', start: n.start!, end: n.end!, ...at(n) })
      return
    }
    if (rootFinderCall(n)) {
      const first = n.arguments[0] as AnyNode | undefined
      const cwd =
        first?.type === 'ObjectExpression'
          ? ((first.properties as AnyNode[]).find((p) => p.type === 'ObjectProperty' && !p.computed && ((p.key as AnyNode).name === 'cwd' || (p.key as AnyNode).value === 'cwd')) as AnyNode | undefined)?.value
          : first
      if (cwd && isModuleDir(cwd)) handOffs.push({ form: 'dir', start: cwd.start!, end: cwd.end!, ...at(cwd) })
      return
    }
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL' && isImportMetaProp(n.arguments[1], 'url')) {
      const spec = staticString(n.arguments[0])
      if (spec === undefined) {
        refuseComputed(n)
        return
      }
      if (spec === '.' || spec === './' || /^[a-z][\w+.-]*:/i.test(spec) || spec.startsWith('/')) return
      const file = fileURLToPath(new URL(spec, pathToFileURL(id)))
      const arg = n.arguments[0] as AnyNode
      const readCall = isSyncTextRead(parent, n) ? parent : undefined
      references.push({ form: 'url', file, start: arg.start!, end: arg.end!, inline: readCall && { start: readCall.start!, end: readCall.end!, as: 'text' }, ...at(n) })
      return
    }
    if ((isCall(n, 'join') || isCall(n, 'resolve')) && n.arguments.length >= 2 && n.arguments[0].type === 'Identifier' && packageRoots.has(n.arguments[0].name)) {
      const parts = n.arguments.slice(1).map((a: AnyNode) => staticString(a))
      if (parts.every((p: string | undefined) => p !== undefined)) packageFiles.push({ specifier: packageRoots.get(n.arguments[0].name)!, parts, ...at(n) })
      return false
    }
    if ((isCall(n, 'join') || isCall(n, 'resolve')) && n.arguments.length >= 2 && isModuleDir(n.arguments[0])) {
      const parts = n.arguments.slice(1).map((a: AnyNode) => staticString(a))
      if (parts.some((p: string | undefined) => p === undefined)) {
        const context = contextOf(n, moduleDir, code, staticString)
        if (context) contexts.push({ ...context, base: free.has('__dirname') ? '__dirname' : 'import.meta.dirname' })
        else refuseComputed(n)
        return false
      }
      const first = n.arguments[1] as AnyNode
      const last = n.arguments[n.arguments.length - 1] as AnyNode
      const file = path.resolve(moduleDir, ...(parts as string[]))
      if (file === moduleDir) return false
      const readCall = isSyncTextRead(parent, n) ? parent : undefined
      references.push({ form: 'join', file, start: first.start!, end: last.end!, inline: readCall && { start: readCall.start!, end: readCall.end!, as: 'text' }, ...at(n) })
      return false
    }
    if (n.type === 'BinaryExpression' && n.operator === '+' && isModuleDir(n.left)) {
      const rest = staticString(n.right)
      if (rest === undefined) {
        refuseComputed(n)
        return false
      }
      const file = path.resolve(moduleDir + rest)
      const readCall = isSyncTextRead(parent, n) ? parent : undefined
      references.push({ form: 'concat', file, start: n.right.start!, end: n.right.end!, inline: readCall && { start: readCall.start!, end: readCall.end!, as: 'text' }, ...at(n) })
      return false
    }
    if (n.type === 'CallExpression') {
      const callee = n.callee as AnyNode
      const viaVariable = callee.type === 'Identifier' && requireNames.has(callee.name)
      const direct = isCall(callee, 'createRequire') && isImportMetaProp(callee.arguments[0], 'url')
      if (!viaVariable && !direct) return
      const spec = staticString(n.arguments[0])
      if (spec === undefined) {
        refuseComputed(n)
        return
      }
      const arg = n.arguments[0] as AnyNode
      let file: string
      if (spec.startsWith('./') || spec.startsWith('../')) file = path.resolve(moduleDir, spec)
      else if (/^(?:node:|[a-z][\w+.-]*:|\/)/.test(spec)) return
      else {
        // A package's file (`mdn-data/css/at-rules.json`): found from the module at build time.
        try {
          file = createRequire(id).resolve(spec)
        } catch {
          return // not installed: the program's own handling decides, as without a bundler
        }
        if (!path.isAbsolute(file)) return // a builtin
      }
      references.push({ form: 'require', file, start: arg.start!, end: arg.end!, inline: file.endsWith('.json') ? { start: n.start!, end: n.end!, as: 'json' } : undefined, ...at(n) })
    }
    return undefined
  })
  return { references, computed, handOffs, resolves, mainReads, contexts, packageFiles }
}
