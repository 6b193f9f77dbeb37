import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/wait-for.ts';
import { startFullSystem, type FullSystem } from '../harness/full-system.ts';
import { repoRoot } from '../harness/test-stack.ts';

const SHOTS = join(repoRoot, '.ci-out', 'screenshots');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * The whole loop in a real browser (Debian's Chromium): shop DB → Debezium → Kafka → features →
 * scoring → recommendations.v1 → materializer and API → storefront, on the test stack.
 */
describe('the storefront in a real browser', () => {
  let sys: FullSystem;
  let browser: Browser;
  let shopper: { id: number; nickname: string; categories: number[] };

  const query = async <T>(sql: string, params: unknown[] = []) => (await sys.shop.pool.query(sql, params))[0] as T;
  const grid = (page: Page) => page.getByTestId('reco-grid');
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sys = await startFullSystem({ shoppers: 120 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const [u] = await query<{ id: number; nickname: string }[]>(
      `SELECT u.id, u.nickname FROM users u JOIN orders o ON o.user_id = u.id
        GROUP BY u.id ORDER BY COUNT(*) DESC, u.id LIMIT 1`,
    );
    const cats = await query<{ category_id: number }[]>(
      `SELECT DISTINCT p.category_id FROM orders o JOIN order_items i ON i.order_id = o.id
         JOIN products p ON p.id = i.product_id WHERE o.user_id = ?`,
      [u!.id],
    );
    shopper = { ...u!, categories: cats.map((c) => c.category_id) };
    // The snapshot reaches every shopper's features, so every shopper gets a first recommendation.
    await waitFor(
      async () =>
        (await query<unknown[]>('SELECT 1 FROM recommendation_current WHERE user_id = ?', [shopper.id])).length > 0,
      { timeoutMs: 90_000, intervalMs: 250, what: `a first recommendation for shopper ${shopper.id}` },
    );
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it("shows a shopper's recommended products in the grid, with their nickname and the why hints", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${sys.webUrl}/?user=${shopper.id}`);
    await expect.poll(() => page.getByTestId('reco-card').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.getByTestId('shopper-nickname').textContent()).toContain(shopper.nickname);
    expect(await page.getByTestId('why-hint').count()).toBeGreaterThan(0);
    await shot(page, 'home');
    await page.close();
  });

  it('buying from a category the shopper never bought changes the grid within 2 s, through the event stream', async () => {
    const [product] = await query<{ id: number }[]>(
      `SELECT id FROM products WHERE category_id NOT IN (?) ORDER BY id LIMIT 1`,
      [shopper.categories],
    );
    const home = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await home.goto(`${sys.webUrl}/?user=${shopper.id}`);
    await expect.poll(() => home.getByTestId('reco-card').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const before = await grid(home).getAttribute('data-recommendation-id');
    const shop = await browser.newPage();
    await shop.goto(`${sys.webUrl}/products/${product!.id}?user=${shopper.id}`);
    const bought = Date.now();
    await shop.getByRole('button', { name: 'Buy' }).click();
    await shop.getByTestId('order-confirmation').waitFor({ timeout: 10_000 });
    // No reload: the open home page must change by itself.
    await expect
      .poll(() => grid(home).getAttribute('data-recommendation-id'), { timeout: 2_000, interval: 50 })
      .not.toBe(before);
    const tookMs = Date.now() - bought;
    expect(tookMs).toBeLessThan(2_000 + 1_000);
    const [order] = await query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.user_id = ? AND i.product_id = ?`,
      [shopper.id, product!.id],
    );
    expect(Number(order!.n)).toBe(1);
    await shot(home, 'home-after-purchase');
    await home.close();
    await shop.close();
  });

  it('switches shoppers: the nickname and the grid follow', async () => {
    const [other] = await query<{ id: number; nickname: string }[]>(
      'SELECT id, nickname FROM users WHERE id <> ? ORDER BY id LIMIT 1',
      [shopper.id],
    );
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${sys.webUrl}/?user=${shopper.id}`);
    await page.getByLabel('Shopper id').fill(String(other!.id));
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.getByTestId('shopper-nickname').textContent()).toContain(other!.nickname);
    expect(new URL(page.url()).searchParams.get('user')).toBe(String(other!.id));
    await expect.poll(() => page.getByTestId('reco-card').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(page, 'switched-phone');
    await page.close();
  });

  it('the ops page asks for the token once and shows the freshness chart with data', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${sys.webUrl}/ops`);
    await page.getByLabel('Ops token').fill(sys.opsToken);
    await page.getByRole('button', { name: 'Open ops page' }).click();
    const chart = page.getByTestId('freshness-chart');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-count')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await shot(page, 'ops');
    await page.close();
  });
});
