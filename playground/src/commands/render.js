import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { marked } from 'marked'
import chalk from 'chalk'
import { parse as parseYaml } from 'yaml'
import { readText } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'render',
  description: 'Render a markdown report for the terminal or as a standalone HTML page',
  arguments: [{ name: 'file', description: 'Markdown file (front matter allowed)', required: true }],
  options: {
    format: { type: 'string', short: 'f', valueName: 'format', description: 'terminal or html', default: 'terminal', choices: ['terminal', 'html'] },
    out: { type: 'string', short: 'o', valueName: 'file', description: 'Write the output to a file' },
    toc: { type: 'boolean', description: 'Print a table of contents first' },
    width: { type: 'string', short: 'w', valueName: 'columns', description: 'Wrap paragraphs at this width', default: '80' },
  },
  examples: ['devkit render REPORT.md', 'devkit render REPORT.md --format html -o report.html'],
}

function splitFrontMatter(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text)
  if (!match) return { data: {}, body: text }
  return { data: parseYaml(match[1]) ?? {}, body: text.slice(match[0].length) }
}

function wrap(text, width) {
  const lines = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines
}

function inline(tokens) {
  return (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case 'strong':
          return chalk.bold(inline(token.tokens))
        case 'em':
          return chalk.italic(inline(token.tokens))
        case 'codespan':
          return chalk.yellow(token.text)
        case 'link':
          return `${chalk.underline(inline(token.tokens))} <${token.href}>`
        case 'br':
          return '\n'
        default:
          return token.tokens ? inline(token.tokens) : token.text ?? token.raw
      }
    })
    .join('')
}

function renderTerminal(tokens, width) {
  const out = []
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const text = inline(token.tokens)
        out.push(token.depth === 1 ? chalk.bold.underline(text.toUpperCase()) : chalk.bold(`${'#'.repeat(token.depth)} ${text}`), '')
        break
      }
      case 'paragraph':
        out.push(...wrap(inline(token.tokens), width), '')
        break
      case 'list':
        token.items.forEach((item, i) => {
          const bullet = token.ordered ? `${Number(token.start || 1) + i}.` : '•'
          const [first, ...rest] = wrap(inline(item.tokens.flatMap((t) => t.tokens ?? [t])), width - 4)
          out.push(`  ${bullet} ${item.task ? (item.checked ? '[x] ' : '[ ] ') : ''}${first ?? ''}`, ...rest.map((l) => `    ${l}`))
        })
        out.push('')
        break
      case 'code':
        out.push(...token.text.split('\n').map((l) => chalk.gray(`    ${l}`)), '')
        break
      case 'blockquote':
        out.push(...wrap(inline(token.tokens.flatMap((t) => t.tokens ?? [])), width - 2).map((l) => chalk.dim(`│ ${l}`)), '')
        break
      case 'table': {
        const cells = [token.header.map((h) => inline(h.tokens)), ...token.rows.map((r) => r.map((c) => inline(c.tokens)))]
        const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)))
        cells.forEach((row, r) => {
          out.push(row.map((c, i) => (token.align[i] === 'right' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '))
          if (r === 0) out.push(widths.map((w) => '─'.repeat(w)).join('  '))
        })
        out.push('')
        break
      }
      case 'hr':
        out.push('─'.repeat(Math.min(width, 40)), '')
        break
      case 'space':
        break
      default:
        if (token.raw?.trim()) out.push(token.raw.trim(), '')
    }
  }
  while (out.at(-1) === '') out.pop()
  return `${out.join('\n')}\n`
}

function slug(text) {
  return text.toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-')
}

function htmlPage(title, body) {
  const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}</style>\n</head>\n<body>\n${body}</body>\n</html>\n`
}

export async function run(args, io) {
  const width = Number(args.width)
  if (!Number.isInteger(width) || width < 20) throw new DevkitError(`--width must be an integer of at least 20, got "${args.width}"`)
  const { data, body } = splitFrontMatter(await readText(args.file, io.cwd))
  const tokens = marked.lexer(body, { gfm: true })
  const headings = tokens.filter((t) => t.type === 'heading')
  let output = ''
  if (args.format === 'html') {
    const renderer = new marked.Renderer()
    renderer.heading = function ({ tokens: inner, depth }) {
      const text = this.parser.parseInline(inner)
      return `<h${depth} id="${slug(inner.map((t) => t.raw).join(''))}">${text}</h${depth}>\n`
    }
    const toc = args.toc ? `<nav><ul>\n${headings.map((h) => `<li><a href="#${slug(h.text)}">${h.text}</a></li>`).join('\n')}\n</ul></nav>\n` : ''
    output = htmlPage(data.title ?? path.basename(args.file, path.extname(args.file)), toc + marked.parser(tokens, { renderer }))
  } else {
    if (data.title) output += `${chalk.bold(data.title)}${data.author ? chalk.dim(` by ${data.author}`) : ''}\n\n`
    if (args.toc) output += `${headings.map((h) => `${'  '.repeat(h.depth - 1)}- ${h.text}`).join('\n')}\n\n`
    output += renderTerminal(tokens, width)
  }
  if (args.out) {
    await writeFile(path.resolve(io.cwd, args.out), output)
    io.stdout.write(`wrote ${args.out}\n`)
  } else {
    io.stdout.write(output)
  }
}
