import { mkdir, readFile, writeFile, access } from 'node:fs/promises'
import path from 'node:path'
import { template } from 'lodash-es'
import chalk from 'chalk'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'init',
  description: 'Create a devkit.yaml (and a README) for a project from a template',
  arguments: [{ name: 'name', description: 'Project name', required: true }],
  options: {
    template: { type: 'string', short: 't', valueName: 'name', description: 'basic, cli or library', default: 'basic', choices: ['basic', 'cli', 'library'] },
    dir: { type: 'string', short: 'd', valueName: 'dir', description: 'Where to write the files', default: '.' },
    'dry-run': { type: 'boolean', short: 'n', description: 'Print the files instead of writing them' },
    force: { type: 'boolean', description: 'Overwrite existing files' },
  },
  examples: ['devkit init my-tool --template cli', 'devkit init lib --dry-run'],
}

// The templates ship next to the package, not inside the bundle.
const TEMPLATES = {
  basic: new URL('../../templates/basic.devkit.yaml', import.meta.url),
  cli: new URL('../../templates/cli.devkit.yaml', import.meta.url),
  library: new URL('../../templates/library.devkit.yaml', import.meta.url),
}
const README = new URL('../../templates/README.md.tpl', import.meta.url)

const exists = (file) => access(file).then(() => true, () => false)

export async function run(args, io) {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(args.name)) throw new DevkitError(`invalid project name "${args.name}" (lowercase letters, digits, . _ -)`)
  const values = { name: args.name, template: args.template, year: 2025 }
  const files = [
    ['devkit.yaml', await readFile(TEMPLATES[args.template], 'utf8')],
    ['README.md', await readFile(README, 'utf8')],
  ].map(([file, source]) => [file, template(source, { interpolate: /{{([\s\S]+?)}}/g })(values)])
  if (args['dry-run']) {
    for (const [file, content] of files) io.stdout.write(`${chalk.bold(`--- ${file}`)}\n${content}`)
    return
  }
  const dir = path.resolve(io.cwd, args.dir)
  await mkdir(dir, { recursive: true })
  for (const [file, content] of files) {
    const target = path.join(dir, file)
    if (!args.force && (await exists(target))) throw new DevkitError(`${path.join(args.dir, file)} exists; pass --force to overwrite`)
    await writeFile(target, content)
    io.stdout.write(`${chalk.green('created')} ${path.join(args.dir, file)}\n`)
  }
}
