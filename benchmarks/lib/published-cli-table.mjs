/**
 * The published CLIs the suite bundles: one row per CLI, pinned to the exact version in the root
 * package.json's devDependencies. Each command runs in a fresh folder holding `files`, so commands
 * that write files see the same starting state every time; what they write is compared too.
 *
 * `quick` names the commands `npm test` runs (always `--version` plus one real command); the
 * benchmark runs all of them. No row sets plugin options: every CLI is built with the defaults.
 */

const SPELLING = 'Helo wrld, this is a tst of speling in a smal file.\nEverything else here is spelled correctly.\n'
const UNFORMATTED_JS = 'const a = {b:1,\n  c:2}\nfunction f( x ){return x}\n'
const ESLINT_CONFIG = 'export default [{ files: ["**/*.js"], rules: { "no-unused-vars": "error", "semi": "error", "no-var": "error" } }];\n'
const LINTED_JS = 'var x = 1\nfunction g(){ return 2 }\n'
const MARKDOWN = '# Title\nsome text  \n## Skipped\n* item\n'
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!-- c --><g><rect x="0" y="0" width="10" height="10" fill="#ff0000"/></g></svg>\n'
const CSS = 'a { color: #ffffff; color: #zzz; }\n'
const STYLELINT_CONFIG = '{"rules":{"color-no-invalid-hex":true,"declaration-block-no-duplicate-properties":true,"color-hex-length":"short"}}\n'
const PROJECT = '{"name":"fx","version":"1.0.0","private":true}\n'
const CHANGESET = '---\n"fx": minor\n---\n\nAdd a thing\n'
const CHANGESET_CONFIG = '{"$schema":"https://unpkg.com/@changesets/config@3.1.1/schema.json","changelog":"@changesets/cli/changelog","commit":false,"fixed":[],"linked":[],"access":"restricted","baseBranch":"main","updateInternalDependencies":"patch","ignore":[]}\n'
const BAD_MANIFEST = '{"name":"pk","version":"1.0.0","main":"./lib/missing.js","exports":{".":{"default":"./lib/index.js","types":"./lib/index.d.ts"}},"files":["lib"]}\n'

export const PUBLISHED_CLIS = [
  {
    name: 'cspell',
    version: '8.19.4',
    bin: 'bin.mjs',
    entryName: 'bin',
    /** cspell-lib resolves its default configuration, `@cspell/cspell-bundled-dicts/cspell-default.json`, by name at run time. */
    runtimeDependencies: ['@cspell/cspell-bundled-dicts'],
    files: { 'sample.txt': SPELLING },
    commands: [
      ['--version'],
      ['--help'],
      ['lint', '--no-progress', '--no-color', 'sample.txt'],
      ['trace', '--no-color', 'hello'],
      ['suggestions', '--no-color', 'speling'],
      ['no-such-command'],
    ],
    quick: [0, 2],
  },
  {
    name: '@lerna-lite/cli',
    version: '4.9.4',
    bin: 'dist/cli.js',
    entryName: 'cli',
    files: {},
    commands: [['--version'], ['--help'], ['init'], ['no-such-command']],
    quick: [0, 2],
  },
  {
    name: 'prettier',
    version: '3.10.1',
    bin: 'bin/prettier.cjs',
    entryName: 'prettier',
    files: { 'a.js': UNFORMATTED_JS },
    commands: [['--version'], ['--check', 'a.js'], ['a.js'], ['--write', '--log-level', 'warn', 'a.js'], ['--find-config-path', 'a.js']],
    quick: [0, 3],
  },
  {
    name: 'eslint',
    version: '10.16.0',
    bin: 'bin/eslint.js',
    entryName: 'eslint',
    files: { 'eslint.config.mjs': ESLINT_CONFIG, 'bad.js': LINTED_JS },
    commands: [['--version'], ['bad.js'], ['--format', 'json', 'bad.js'], ['--fix', 'bad.js'], ['--print-config', 'bad.js']],
    quick: [0, 3],
  },
  {
    name: 'stylelint',
    version: '16.26.1',
    bin: 'bin/stylelint.mjs',
    entryName: 'stylelint',
    files: { '.stylelintrc.json': STYLELINT_CONFIG, 's.css': CSS },
    commands: [['--version'], ['s.css'], ['--formatter', 'json', 's.css'], ['--fix', 's.css']],
    quick: [0, 1],
  },
  {
    name: 'markdownlint-cli2',
    version: '0.20.0',
    bin: 'markdownlint-cli2-bin.mjs',
    entryName: 'markdownlint-cli2',
    files: { 'README.md': MARKDOWN },
    commands: [['--help'], ['README.md'], ['--fix', 'README.md'], ['no-such-file.md']],
    quick: [1],
  },
  {
    name: 'svgo',
    version: '4.1.0',
    bin: 'bin/svgo.js',
    entryName: 'svgo',
    files: { 'i.svg': SVG },
    commands: [['--version'], ['-q', 'i.svg', '-o', 'o.svg'], ['-q', '--pretty', 'i.svg', '-o', '-'], ['--show-plugins']],
    quick: [0, 1],
  },
  {
    name: '@changesets/cli',
    version: '2.31.1',
    bin: 'bin.js',
    entryName: 'changeset',
    /**
     * The project's `.changeset/config.json` names its changelog generator, `@changesets/cli/changelog`,
     * which changesets resolves by name at run time (from `.changeset`, then from its own folder):
     * a project using it has it installed, as cspell's dictionaries above.
     */
    runtimeDependencies: ['@changesets/cli'],
    files: { 'package.json': PROJECT, '.changeset/config.json': CHANGESET_CONFIG, '.changeset/cool-thing.md': CHANGESET },
    commands: [['--version'], ['--help'], ['version'], ['pre', 'enter', 'next']],
    quick: [0, 2],
  },
  {
    name: '@changesets/cli',
    variant: 'init',
    version: '2.31.1',
    bin: 'bin.js',
    entryName: 'changeset',
    files: { 'package.json': PROJECT },
    commands: [['init']],
    quick: [0],
  },
  {
    name: 'concurrently',
    version: '9.2.5',
    bin: 'dist/bin/concurrently.js',
    entryName: 'concurrently',
    files: {},
    commands: [['--version'], ['--help'], ['-m', '1', '-n', 'a,b', 'echo one', 'echo two'], ['-m', '1', '--raw', 'echo one', 'exit 3']],
    quick: [0, 2],
  },
  {
    name: 'madge',
    version: '8.0.0',
    bin: 'bin/cli.js',
    entryName: 'madge',
    files: { 'src/a.js': 'import "./b.js"\n', 'src/b.js': 'import "./a.js"\nimport "./c.js"\n', 'src/c.js': 'export {}\n' },
    commands: [['--version'], ['--json', 'src'], ['--circular', '--json', 'src'], ['--orphans', '--json', 'src']],
    quick: [0, 2],
  },
  {
    name: 'publint',
    version: '0.3.25',
    bin: 'src/cli.js',
    entryName: 'publint',
    files: { 'pk/package.json': BAD_MANIFEST, 'pk/lib/index.js': 'module.exports = 1\n' },
    commands: [['--version'], ['--help'], ['pk', '--pack', 'false'], ['pk', '--pack', 'false', '--strict']],
    quick: [0, 2],
  },
]

/** A short, file-name-safe name for one row. */
export const slugOf = (cli) => `${cli.name.replace(/\W+/g, '-').replace(/^-/, '')}${cli.variant ? `-${cli.variant}` : ''}`
