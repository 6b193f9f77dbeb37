/** How to reach one database; built by each process's config loader and passed down. */
export interface DbConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}
