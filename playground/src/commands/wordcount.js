import chalk from 'chalk'
import { countBy, orderBy, sumBy } from 'lodash-es'
import { readText } from '../lib/files.js'

export const meta = {
  name: 'wordcount',
  description: 'Count lines, words and characters, and list the most frequent words',
  arguments: [{ name: 'files', description: 'Text or markdown files', required: true, variadic: true }],
  options: {
    top: { type: 'string', short: 't', valueName: 'count', description: 'How many frequent words to list', default: '5' },
    'min-length': { type: 'string', short: 'm', valueName: 'chars', description: 'Ignore shorter words in the frequency list', default: '4' },
  },
  examples: ['devkit wordcount README.md docs/*.md --top 10'],
}

const WORD = /[\p{L}\p{N}'’-]+/gu

export async function run(args, io) {
  const top = Number(args.top)
  const minLength = Number(args['min-length'])
  const stats = []
  const allWords = []
  for (const file of args.files) {
    const text = await readText(file, io.cwd)
    const words = (text.match(WORD) ?? []).map((w) => w.toLowerCase().replace(/^['’-]+|['’-]+$/g, '')).filter(Boolean)
    allWords.push(...words)
    stats.push({ file, lines: text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0), words: words.length, chars: [...text].length })
  }
  if (args.files.length > 1) stats.push({ file: 'total', lines: sumBy(stats, 'lines'), words: sumBy(stats, 'words'), chars: sumBy(stats, 'chars') })
  for (const s of stats) {
    io.stdout.write(`${String(s.lines).padStart(7)} ${String(s.words).padStart(7)} ${String(s.chars).padStart(8)}  ${s.file === 'total' ? chalk.bold(s.file) : s.file}\n`)
  }
  if (top > 0) {
    const counts = countBy(allWords.filter((w) => w.length >= minLength))
    const frequent = orderBy(Object.entries(counts), [([, n]) => n, ([w]) => w], ['desc', 'asc']).slice(0, top)
    io.stdout.write(`\nmost frequent (${minLength}+ letters):\n`)
    for (const [word, n] of frequent) io.stdout.write(`  ${word.padEnd(16)}${n}\n`)
  }
}
