import type { ChildMessage, TrainJob } from './train-protocol.ts';
import { trainChallenger } from './train-challenger.ts';

/**
 * The training child's entry: one job from the parent over IPC, one answer, then exit. Training
 * runs here, at a lower CPU priority set by the parent, so the trainer's own Kafka consumer and
 * every scorer on the machine keep answering while the model fits.
 */
const send = (m: ChildMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

// Orphaned (the trainer stopped): stop too; the restarted trainer marks this run failed.
process.once('disconnect', () => process.exit(1));

process.once('message', (job: TrainJob) => {
  trainChallenger(job, { onEpoch: (label, epoch, line) => void send({ type: 'progress', label, epoch, line }) })
    .then((outcome) => send({ type: 'done', outcome }))
    .catch((err: Error) => send({ type: 'failed', message: err.message, name: err.name }))
    .finally(() => process.exit(0));
});
