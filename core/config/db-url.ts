import { ValidationError } from '../errors.ts';
import type { DbConfig } from './db-config.ts';

export function dbFromUrl(url: string): DbConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new ValidationError('DATABASE_URL is not a URL', { cause });
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new ValidationError(`DATABASE_URL must start with mysql://, got ${u.protocol}//`);
  }
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
}
