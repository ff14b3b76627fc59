import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc.js'
import duration from 'dayjs/plugin/duration.js'
import relativeTime from 'dayjs/plugin/relativeTime.js'
import customParseFormat from 'dayjs/plugin/customParseFormat.js'
import isoWeek from 'dayjs/plugin/isoWeek.js'
import advancedFormat from 'dayjs/plugin/advancedFormat.js'
import chalk from 'chalk'
import { sortBy } from 'lodash-es'
import { loadData } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

dayjs.extend(utc)
dayjs.extend(duration)
dayjs.extend(relativeTime)
dayjs.extend(customParseFormat)
dayjs.extend(isoWeek)
dayjs.extend(advancedFormat)

export const meta = {
  name: 'dates',
  description: 'Show durations, weeks and relative times for dated events (UTC, fixed reference date)',
  arguments: [{ name: 'file', description: 'YAML/JSON/CSV list of events with start (and optional end) dates', required: true }],
  options: {
    now: { type: 'string', valueName: 'date', description: 'Reference date for relative times', default: '2025-01-15T12:00:00Z' },
    format: { type: 'string', short: 'f', valueName: 'pattern', description: 'dayjs format for dates', default: 'ddd D MMM YYYY' },
    input: { type: 'string', short: 'i', valueName: 'pattern', description: 'Parse dates with this dayjs pattern instead of ISO 8601' },
    upcoming: { type: 'boolean', short: 'u', description: 'Only events that start after the reference date' },
  },
  examples: ['devkit dates milestones.yaml --now 2025-03-01', "devkit dates events.csv --input DD/MM/YYYY --format 'YYYY [week] W'"],
}

function parseDate(value, pattern, label) {
  const date = pattern ? dayjs.utc(String(value), pattern, true) : dayjs.utc(value instanceof Date ? value.toISOString() : String(value))
  if (!date.isValid()) throw new DevkitError(`${label}: invalid date "${value}"${pattern ? ` (expected ${pattern})` : ''}`)
  return date
}

function humanDuration(ms) {
  const d = dayjs.duration(ms)
  const parts = []
  if (Math.floor(d.asDays()) > 0) parts.push(`${Math.floor(d.asDays())}d`)
  if (d.hours() > 0) parts.push(`${d.hours()}h`)
  if (d.minutes() > 0) parts.push(`${d.minutes()}m`)
  return parts.join(' ') || '0m'
}

export async function run(args, io) {
  const now = parseDate(args.now, undefined, '--now')
  const { data } = await loadData(args.file, io.cwd)
  const events = Array.isArray(data) ? data : data.events
  if (!Array.isArray(events)) throw new DevkitError(`${args.file} must be a list of events or have an "events" list`)
  const parsed = events.map((event, i) => {
    const label = `${args.file} event ${i + 1}`
    if (!event?.start) throw new DevkitError(`${label}: missing "start"`)
    const start = parseDate(event.start, args.input, label)
    const end = event.end ? parseDate(event.end, args.input, label) : undefined
    if (end && end.isBefore(start)) throw new DevkitError(`${label}: ends before it starts`)
    return { name: event.name ?? `event ${i + 1}`, start, end }
  })
  const shown = sortBy(parsed.filter((e) => !args.upcoming || e.start.isAfter(now)), [(e) => e.start.valueOf(), 'name'])
  io.stdout.write(chalk.dim(`reference: ${now.format('YYYY-MM-DD HH:mm [UTC]')} (ISO week ${now.isoWeek()})\n`))
  for (const event of shown) {
    const when = event.start.format(args.format)
    const span = event.end ? ` → ${event.end.format(args.format)} (${humanDuration(event.end.diff(event.start))})` : ''
    io.stdout.write(`${chalk.bold(event.name)}: ${when}${span}, ${event.start.from(now)}\n`)
  }
  const total = shown.filter((e) => e.end).reduce((sum, e) => sum + e.end.diff(e.start), 0)
  io.stdout.write(`${shown.length} event${shown.length === 1 ? '' : 's'}, ${humanDuration(total)} scheduled\n`)
}
