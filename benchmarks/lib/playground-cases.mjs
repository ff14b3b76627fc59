// What the demo (and anyone comparing builds of the playground) runs: --version, --help, a
// command's help, real commands on playground/examples, and two failures.
export const PLAYGROUND_CASES = [
  ['--version'],
  ['--help'],
  ['bump', '--help'],
  ['convert', 'devkit.yaml', '--to', 'toml'],
  ['csv-summary', 'sales.csv', '--group-by', 'region'],
  ['table', 'sales.csv', '--columns', 'region,amount', '--sort', '-amount', '-n', '5'],
  ['validate', 'devkit-broken.yaml', '--schema', 'devkit.schema.json'],
  ['versions', 'releases.txt', '--range', '^2.0.0'],
  ['render', 'REPORT.md'],
  ['no-such-command'],
]
