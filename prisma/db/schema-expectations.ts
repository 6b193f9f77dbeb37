import { readFileSync } from 'node:fs';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

/** What a MySQL/MariaDB database migrated from schema.prisma must contain, derived from Prisma's DMMF. */
export interface ExpectedColumn {
  name: string;
  /** information_schema COLUMN_TYPE, lower case: "varchar(32)", "decimal(12,2)", "enum('F','M')". */
  type: string;
  nullable: boolean;
  autoIncrement: boolean;
}
export interface ExpectedIndex {
  name: string;
  columns: string[];
  unique: boolean;
}
export interface ExpectedForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
}
export interface ExpectedTable {
  name: string;
  columns: ExpectedColumn[];
  indexes: ExpectedIndex[];
  foreignKeys: ExpectedForeignKey[];
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string; dbName?: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

export function readDmmf(schemaPath: string): Dmmf {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: readFileSync(schemaPath, 'utf8') }))) as Dmmf;
}

/** Prisma's default MySQL column types when a field has no @db.* attribute. */
const DEFAULT_TYPES: Record<string, string> = {
  Int: 'int(11)',
  BigInt: 'bigint(20)',
  String: 'varchar(191)',
  Boolean: 'tinyint(1)',
  Float: 'double',
  DateTime: 'datetime(3)',
  Decimal: 'decimal(65,30)',
  Json: 'longtext',
  Bytes: 'longblob',
};
const NATIVE: Record<string, (args: string[]) => string> = {
  VarChar: (a) => `varchar(${a[0]})`,
  Char: (a) => `char(${a[0]})`,
  Text: () => 'text',
  TinyInt: () => 'tinyint(4)',
  SmallInt: () => 'smallint(6)',
  Decimal: (a) => `decimal(${a[0]},${a[1]})`,
  DateTime: (a) => `datetime(${a[0] ?? 0})`,
  Date: () => 'date',
  Double: () => 'double',
};

function columnType(f: DmmfField, enums: Dmmf['datamodel']['enums']): string {
  if (f.kind === 'enum') {
    const e = enums.find((x) => x.name === f.type)!;
    return `enum(${e.values.map((v) => `'${v.dbName ?? v.name}'`).join(',')})`;
  }
  if (f.nativeType) return NATIVE[f.nativeType[0]]?.(f.nativeType[1]) ?? f.nativeType[0].toLowerCase();
  return DEFAULT_TYPES[f.type] ?? f.type.toLowerCase();
}

const col = (m: DmmfModel, field: string) => {
  const f = m.fields.find((x) => x.name === field)!;
  return f.dbName ?? f.name;
};

function indexesOf(m: DmmfModel, table: string, all: DmmfIndex[]): ExpectedIndex[] {
  return all
    .filter((i) => i.model === m.name)
    .map((i) => {
      const columns = i.fields.map((f) => col(m, f.name));
      const suffix = i.type === 'unique' ? 'key' : 'idx';
      const name = i.type === 'id' ? 'PRIMARY' : (i.dbName ?? `${table}_${columns.join('_')}_${suffix}`);
      return { name, columns, unique: i.type !== 'normal' };
    });
}

/** Prisma's defaults: Cascade/SetNull/Restrict as written, else Restrict (SetNull for optional relations). */
function foreignKeysOf(m: DmmfModel, table: string, models: DmmfModel[]): ExpectedForeignKey[] {
  return m.fields
    .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
    .map((f) => {
      const target = models.find((x) => x.name === f.type)!;
      const columns = f.relationFromFields!.map((n) => col(m, n));
      const rule = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
      return {
        name: `${table}_${columns.join('_')}_fkey`,
        columns,
        referencedTable: target.dbName ?? target.name,
        referencedColumns: f.relationToFields!.map((n) => col(target, n)),
        onDelete:
          {
            Cascade: 'CASCADE',
            SetNull: 'SET NULL',
            Restrict: 'RESTRICT',
            NoAction: 'NO ACTION',
            SetDefault: 'SET DEFAULT',
          }[rule] ?? rule,
      };
    });
}

export function expectedTables(dmmf: Dmmf): ExpectedTable[] {
  const { models, enums, indexes } = dmmf.datamodel;
  return models.map((m) => {
    const table = m.dbName ?? m.name;
    const columns = m.fields
      .filter((f) => f.kind !== 'object')
      .map((f) => ({
        name: f.dbName ?? f.name,
        type: columnType(f, enums),
        nullable: !f.isRequired,
        autoIncrement:
          typeof f.default === 'object' &&
          f.default !== null &&
          (f.default as { name?: string }).name === 'autoincrement',
      }));
    return {
      name: table,
      columns,
      indexes: indexesOf(m, table, indexes),
      foreignKeys: foreignKeysOf(m, table, models),
    };
  });
}
