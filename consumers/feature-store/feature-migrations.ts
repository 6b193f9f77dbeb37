import { fileURLToPath } from 'node:url';

/** The feature store's SQL migrations (same layout and runner as the shop's). */
export const FEATURE_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
