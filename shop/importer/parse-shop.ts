import type { CategoryMap } from '../../features/category-map.ts';
import type { CustomerRow, DiscountRow, MarketingRow, SalesLine, TaxRow } from '../shop-rows.ts';
import {
  createRejectLog,
  emptyReport,
  findShopFiles,
  readRows,
  type FileReport,
  type ReadDeps,
  type RejectLog,
  type RowTypes,
  type ShopFile,
} from './shop-files.ts';
import type { FileKind } from './layouts.ts';

/** Customers by id; a repeated id is rejected (the first row wins) rather than silently merged. */
export async function readCustomers(
  file: ShopFile,
  deps: ReadDeps,
  report: FileReport,
): Promise<Map<string, CustomerRow>> {
  const customers = new Map<string, CustomerRow>();
  const firstLine = new Map<string, number>();
  for await (const { line, row } of readRows(file as ShopFile & { kind: 'customers' }, deps, report)) {
    const seen = firstLine.get(row.customerId);
    if (seen !== undefined) {
      report.accepted--;
      report.rejected++;
      deps.rejects.add({
        file: file.name,
        line,
        reason: `duplicate customer id "${row.customerId}" (first at line ${seen})`,
      });
      continue;
    }
    firstLine.set(row.customerId, line);
    customers.set(row.customerId, row);
  }
  return customers;
}

/**
 * Counts transaction ids used by more than one customer. The real files have such ids (a
 * transaction's rows split between customers); both customers keep their rows.
 */
export function createSharedTransactionCounter() {
  const owner = new Map<string, string | null>();
  let shared = 0;
  return {
    add(transactionId: string, customerId: string) {
      const o = owner.get(transactionId);
      if (o === undefined) owner.set(transactionId, customerId);
      else if (o !== null && o !== customerId) {
        owner.set(transactionId, null);
        shared++;
      }
    },
    get shared() {
      return shared;
    },
    get distinct() {
      return owner.size;
    },
  };
}

export interface ParsedShop {
  files: FileReport[];
  customers: CustomerRow[];
  sales: SalesLine[];
  discounts: DiscountRow[];
  taxes: TaxRow[];
  marketing: MarketingRow[];
  rejects: RejectLog;
  sharedTransactionIds: number;
}

/** The whole directory in memory, validated: for tests, `stats` and `import --dry-run` (default scale). */
export async function parseShopDirectory(
  dir: string,
  deps: { categoryMap: CategoryMap; rejects?: RejectLog },
): Promise<ParsedShop> {
  const found = await findShopFiles(dir);
  const rejects = deps.rejects ?? createRejectLog();
  const files: FileReport[] = [];
  const report = (f: ShopFile) => {
    const r = emptyReport(f);
    files.push(r);
    return r;
  };
  const base: ReadDeps = { categoryMap: deps.categoryMap, rejects };
  const customerFile = found.customers!;
  const customers = await readCustomers(customerFile, base, report(customerFile));
  const all = async <K extends FileKind>(kind: K, extra: Partial<ReadDeps> = {}): Promise<RowTypes[K][]> => {
    const f = found[kind];
    if (!f) return [];
    const out: RowTypes[K][] = [];
    for await (const { row } of readRows(f as ShopFile & { kind: K }, { ...base, ...extra }, report(f))) out.push(row);
    return out;
  };
  const sales = await all('sales', { knownCustomers: customers });
  const shared = createSharedTransactionCounter();
  for (const l of sales) shared.add(l.transactionId, l.customerId);
  return {
    files,
    rejects,
    sales,
    customers: [...customers.values()],
    discounts: await all('discounts'),
    taxes: await all('tax'),
    marketing: await all('marketing'),
    sharedTransactionIds: shared.shared,
  };
}
