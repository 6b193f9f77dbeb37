/**
 * Each background process's port (its /healthz and /metrics, or the HTTP server itself) and the
 * variable that overrides it: one table read by the processes' configs and by the stack.
 */
export const APP_PORTS = {
  features: { env: 'FEATURES_METRICS_PORT', port: 9464 },
  scoring: { env: 'SCORING_METRICS_PORT', port: 9465 },
  materializer: { env: 'MATERIALIZER_METRICS_PORT', port: 9466 },
  scheduler: { env: 'SCHEDULER_METRICS_PORT', port: 9467 },
  trainer: { env: 'TRAINER_METRICS_PORT', port: 9468 },
  api: { env: 'API_PORT', port: 8000 },
  web: { env: 'WEB_PORT', port: 5173 },
} as const;

export type AppName = keyof typeof APP_PORTS;

export function appPort(app: AppName, env: NodeJS.ProcessEnv): number {
  const { env: name, port } = APP_PORTS[app];
  const raw = env[name];
  return raw === undefined || raw === '' ? port : Number(raw);
}
