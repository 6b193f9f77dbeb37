import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { classify } from '../core/errors.ts';
import type { GeneratedShopper, ShopGenerator } from './generator/shop-generator.ts';
import { civilFromDays } from './generator/time.ts';
import type { Progress } from '../core/progress.ts';
import { couponStatusLabel, formatMoney, type CustomerRow, type DiscountRow, type TaxRow } from './shop-rows.ts';

/** Kaggle layout ("Marketing Insights for E-Commerce Company"); the importer reads it back. */
export const KAGGLE_FILES = {
  sales: 'Online_Sales.csv',
  customers: 'CustomersData.csv',
  discounts: 'Discount_Coupon.csv',
  tax: 'Tax_amount.csv',
  marketing: 'Marketing_Spend.csv',
} as const;

export const KAGGLE_SALES_HEADER =
  'CustomerID,Transaction_ID,Transaction_Date,Product_SKU,Product_Description,Product_Category,Quantity,Avg_Price,Delivery_Charges,Coupon_Status';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Buffers small writes into ~1 MiB chunks and honours backpressure. */
class BufferedFile {
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly stream: WriteStream) {}

  /** Returns a promise only when the buffer was handed to the stream and it asked to wait. */
  write(s: string): Promise<void> | undefined {
    this.buf.push(s);
    this.size += s.length;
    return this.size >= 1 << 20 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    // Encoded once here (the stream would encode a string again to count it).
    const chunk = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.size = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export interface CsvWriteResult {
  shoppers: number;
  transactions: number;
  lines: number;
  bytes: number;
}

/** Streams a generated shop to DIR in the Kaggle layout, shopper by shopper. */
export async function generateToCsv(deps: {
  generator: ShopGenerator;
  dir: string;
  progress?: Progress;
}): Promise<CsvWriteResult> {
  const { generator: gen, dir } = deps;
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw classify(cause, `cannot create ${dir}`);
  }
  const open = (name: string) => new BufferedFile(createWriteStream(join(dir, name)));
  const sales = open(KAGGLE_FILES.sales);
  const customers = open(KAGGLE_FILES.customers);
  await writeSmallFiles(gen.discounts, gen.taxes, open);
  sales.write(KAGGLE_SALES_HEADER + '\n');
  customers.write('CustomerID,Gender,Location,Tenure_Months\n');
  const productText = gen.catalog.products.map(
    (p) => `${p.sku},${csvField(p.description)},${csvField(gen.categoryMap.raw[p.rawIndex]!)},`,
  );
  const priceText = gen.catalog.products.map((p) => formatMoney(p.price));
  const dates = new Map<number, string>();
  const result: CsvWriteResult = { shoppers: 0, transactions: 0, lines: 0, bytes: 0 };
  for (const g of gen.generate()) {
    const pending = [
      customers.write(customerLine(g.customer)),
      sales.write(salesText(g, productText, priceText, dates, result)),
    ];
    result.shoppers++;
    for (const p of pending) if (p) await p;
    deps.progress?.tick(countLines(g));
  }
  await Promise.all([sales.close(), customers.close()]);
  result.bytes = sales.bytes + customers.bytes;
  return result;
}

const countLines = (g: GeneratedShopper) => g.transactions.reduce((a, t) => a + t.lines.length, 0);

function customerLine(c: CustomerRow): string {
  return `${c.customerId},${c.gender},${csvField(c.region)},${c.tenureMonths}\n`;
}

function salesText(
  g: GeneratedShopper,
  productText: string[],
  priceText: string[],
  dates: Map<number, string>,
  result: CsvWriteResult,
): string {
  let out = '';
  for (const t of g.transactions) {
    let date = dates.get(t.day);
    if (!date) dates.set(t.day, (date = compactDate(t.day)));
    const head = `${g.customer.customerId},${t.transactionId},${date},`;
    const tail = `,${formatMoney(t.deliveryCharge)},${couponStatusLabel[t.couponStatus]}\n`;
    for (const l of t.lines)
      out += head + productText[l.product.index]! + l.quantity + ',' + priceText[l.product.index]! + tail;
    result.transactions++;
    result.lines += t.lines.length;
  }
  return out;
}

/** YYYYMMDD, as in the public copies of Online_Sales.csv. */
function compactDate(day: number): string {
  const c = civilFromDays(day);
  return `${c.year}${String(c.month + 1).padStart(2, '0')}${String(c.day).padStart(2, '0')}`;
}

async function writeSmallFiles(
  discounts: DiscountRow[],
  taxes: TaxRow[],
  open: (name: string) => BufferedFile,
): Promise<void> {
  const d = open(KAGGLE_FILES.discounts);
  d.write('Month,Product_Category,Coupon_Code,Discount_pct\n');
  for (const r of discounts)
    d.write(`${MONTHS[r.month - 1]},${csvField(r.category)},${r.couponCode},${r.discountPct}\n`);
  const t = open(KAGGLE_FILES.tax);
  t.write('Product_Category,GST\n');
  // Kaggle's copy writes GST as a percent string ("10%").
  for (const r of taxes) t.write(`${csvField(r.category)},${Math.round(r.gst * 100)}%\n`);
  await Promise.all([d.close(), t.close()]);
}
