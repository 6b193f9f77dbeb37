import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ParsedArgs } from '../../core/args.ts';
import type { Area, CommandContext } from '../../core/command.ts';
import { createPool } from '../../prisma/db/pool.ts';
import { migrate, readMigrations } from '../../prisma/db/migrate.ts';

const migrationsDir = (ctx: CommandContext) => join(ctx.root, 'prisma/migrations');

async function runMigrate(_args: ParsedArgs, ctx: CommandContext) {
  const pool = createPool(ctx.config.db);
  try {
    const applied = await migrate({ pool, migrationsDir: migrationsDir(ctx), logger: ctx.logger });
    ctx.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await pool.end();
  }
}

async function status(_args: ParsedArgs, ctx: CommandContext) {
  const pool = createPool(ctx.config.db);
  try {
    const [rows] = await pool
      .query('SELECT migration_name, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL')
      .catch(() => [[]] as const);
    const done = new Map(
      (rows as { migration_name: string; finished_at: Date | null }[]).map((r) => [r.migration_name, r.finished_at]),
    );
    for (const m of await readMigrations(migrationsDir(ctx))) {
      const at = done.get(m.name);
      ctx.out(
        `${at ? 'applied' : done.has(m.name) ? 'FAILED ' : 'pending'}  ${m.name}${at ? `  ${at.toISOString()}` : ''}`,
      );
    }
  } finally {
    await pool.end();
  }
}

/** Prisma's CLI only needs *an* executable at PRISMA_SCHEMA_ENGINE_BINARY to skip its download. */
async function generate(_args: ParsedArgs, ctx: CommandContext) {
  const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true';
  const r = spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
    cwd: ctx.root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine },
  });
  return r.status ?? 1;
}

export const dbArea: Area = {
  name: 'db',
  summary:
    "The shop database schema: SQL migrations in prisma/migrations (Prisma layout), applied without Prisma's engine.",
  verbs: {
    migrate: {
      summary: 'apply pending migrations to DATABASE_URL (records them in _prisma_migrations, as prisma migrate does)',
      run: runMigrate,
    },
    status: { summary: 'list migrations and whether each is applied', run: status },
    generate: { summary: 'generate the Prisma client offline (no engine download)', run: generate },
  },
};
