import { createRoute, z } from '@hono/zod-openapi';
import { jobEventSchema, jobsTopic, type JobName } from '../../streams/control/job-event.ts';
import type { ApiDeps } from '../deps.ts';
import type { App } from '../http/app-env.ts';
import { HTTPException } from 'hono/http-exception';
import { problems } from '../schemas/common.ts';
import { jobAcceptedBody, modelDecisionBody, promoteRequest } from '../schemas/ops.ts';

const emptyBody = { required: false, content: { 'application/json': { schema: z.strictObject({}) } } };

const jobRoute = (path: string, what: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['ops'],
    summary: `Request ${what} now (a \`requested\` event on control.jobs.v1)`,
    security: [{ opsToken: [] }],
    request: { body: emptyBody },
    responses: {
      202: { description: 'requested', content: { 'application/json': { schema: jobAcceptedBody } } },
      ...problems(400, 401, 415, 503),
    },
  });

const version = z
  .string()
  .regex(/^[\w.-]{1,64}$/)
  .openapi({ param: { name: 'version', in: 'path' }, example: 'wd-20261129-101500' });

const promote = createRoute({
  method: 'post',
  path: '/ops/models/{version}/promote',
  tags: ['ops'],
  summary: 'Promote a version to champion if it beats the current one (or with force)',
  security: [{ opsToken: [] }],
  request: {
    params: z.strictObject({ version }),
    body: { required: false, content: { 'application/json': { schema: promoteRequest } } },
  },
  responses: {
    200: { description: 'promoted', content: { 'application/json': { schema: modelDecisionBody } } },
    ...problems(400, 401, 404, 409, 415, 503),
  },
});

const rollback = createRoute({
  method: 'post',
  path: '/ops/models/rollback',
  tags: ['ops'],
  summary: 'Make the champion the version it replaced',
  security: [{ opsToken: [] }],
  request: { body: emptyBody },
  responses: {
    200: { description: 'rolled back', content: { 'application/json': { schema: modelDecisionBody } } },
    ...problems(400, 401, 404, 415, 503),
  },
});

export function registerOpsActionRoutes(app: App, deps: ApiDeps): void {
  const requestJob = async (job: JobName) => {
    const runId = `${job}:manual-${deps.newId()}`;
    const event = jobEventSchema.parse({
      job,
      runId,
      status: 'requested',
      requestedBy: 'api',
      worker: null,
      partitions: null,
      counts: null,
      durationMs: null,
      reason: null,
      at: deps.clock().toISOString(),
    });
    await deps.publisher.send(deps.config.topics.jobs, [{ key: jobsTopic.key(event), value: JSON.stringify(event) }]);
    return runId;
  };
  app.openapi(jobRoute('/ops/jobs/sweep', 'the daily sweep'), async (c) =>
    c.json({ run_id: await requestJob('daily-sweep') }, 202),
  );
  app.openapi(jobRoute('/ops/jobs/retrain', 'a retraining'), async (c) =>
    c.json({ run_id: await requestJob('retrain') }, 202),
  );
  app.openapi(promote, async (c) => {
    const { version: v } = c.req.valid('param');
    const force = c.req.valid('json')?.force ?? false;
    const decision = await deps.models.promote(v, force);
    // Not an error of the request: the gate said no, and says why (the ops page shows the reason).
    if (!decision.promoted) throw new HTTPException(409, { message: decision.reason });
    return c.json({ version: v, ...decision }, 200);
  });
  app.openapi(rollback, async (c) => {
    const { version: v } = await deps.models.rollback();
    return c.json({ version: v, promoted: true, reason: 'rolled back to the version the champion replaced' }, 200);
  });
}
