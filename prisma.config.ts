// Prisma 7 reads the datasource URL from here, not from schema.prisma.
// The value is only needed by `prisma migrate|db` (for users who have Prisma's schema engine);
// generate and validate work offline without it.
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL } from './core/config/pieces.ts';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL },
});
