import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { buildFixture, TEST_ROOT } from '../harness/index.js'

/** Debian's chromium, installed by scripts/install-system-deps.sh (run by .ci/run). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

describe('HTML report in headless Chromium (issue 5)', () => {
  let context: BrowserContext
  let page: Page
  let profile: string
  let htmlFile: string
  const failedRequests: string[] = []

  beforeAll(async () => {
    const htmlDir = await mkdtemp(path.join(os.tmpdir(), 'cli-optimizer-html-'))
    htmlFile = path.join(htmlDir, 'report.html')
    await buildFixture('report-dupes', 'esbuild', { plugin: { report: { html: htmlFile } } })
    profile = await mkdtemp(path.join(os.tmpdir(), 'cli-optimizer-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    page = await context.newPage()
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) failedRequests.push(request.url())
    })
    await page.goto(pathToFileURL(htmlFile).href)
    await page.waitForSelector('body[data-ready="true"]')
  })

  afterAll(async () => {
    await context?.close()
    if (profile) await rm(profile, { recursive: true, force: true })
  })

  it('renders the treemap of chunks and packages without any network request', async () => {
    expect((await stat(htmlFile)).size).toBeLessThan(2 * 1024 * 1024)
    expect(await page.locator('#treemap .cell[data-kind="chunk"]').count()).toBeGreaterThan(0)
    const packages = await page.locator('#treemap .cell[data-kind="package"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-name')))
    expect(packages).toEqual(expect.arrayContaining(['semver', 'left-pad-lite', 'formatter', '[app]']))
    expect(await page.locator('#duplicates-table tbody tr').count()).toBe(1)
    expect(await page.locator('#duplicates-table').textContent()).toContain('left-pad-lite')
    expect(await page.locator('#opportunities-table').textContent()).toMatch(/large-dependency\s*semver/)
    expect(failedRequests).toEqual([])
  })

  it('zooms into a package on click and back out through the path', async () => {
    await page.locator('#treemap .cell[data-kind="package"][data-name="semver"]').first().click()
    await expect.poll(() => page.locator('#crumbs .crumb').count()).toBe(3)
    expect(await page.locator('#crumbs .crumb').last().textContent()).toBe('semver')
    const modules = await page.locator('#treemap .cell[data-kind="module"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-name')))
    expect(modules.length).toBeGreaterThan(3)
    expect(modules.every((id) => id!.includes('node_modules/semver/'))).toBe(true)
    expect(await page.locator('#total-kind').textContent()).toBe('package semver')
    await page.screenshot({ path: path.join(TEST_ROOT, '.tmp', 'report-zoomed.png') })
    await page.locator('#crumbs .crumb').first().click()
    expect(await page.locator('#crumbs .crumb').count()).toBe(1)
  })

  it('switches sizes between raw, gzip and brotli', async () => {
    const total = () => page.locator('#total').getAttribute('data-bytes').then(Number)
    const raw = await total()
    const rawLabel = await page.locator('#total').textContent()
    await page.locator('button[data-mode="gzip"]').click()
    const gzip = await total()
    expect(await page.locator('button[data-mode="gzip"]').getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator('#estimate-note').isVisible()).toBe(true)
    await page.locator('button[data-mode="brotli"]').click()
    const brotli = await total()
    expect(gzip).toBeLessThan(raw)
    expect(brotli).toBeLessThan(raw)
    expect(brotli).not.toBe(gzip)
    expect(await page.locator('#total').textContent()).not.toBe(rawLabel)
    await page.locator('button[data-mode="raw"]').click()
    expect(await total()).toBe(raw)
  })

  it('shows the initial load of an entry as its own view', async () => {
    const options = await page.locator('#view option').allTextContents()
    expect(options[0]).toBe('Whole build')
    expect(options).toContain('Entry main: initial load')
    await page.locator('#view').selectOption({ label: 'Entry main: initial load' })
    expect(await page.locator('#crumbs .crumb').first().textContent()).toBe('Entry main: initial load')
    await page.locator('#view').selectOption({ index: 0 })
    await page.screenshot({ path: path.join(TEST_ROOT, '.tmp', 'report.png'), fullPage: false })
  })
})
