// Worker threads do not inherit the parent's TypeScript loader (tsx or vitest): register tsx here,
// then load the worker itself. Plain .mjs because nothing can compile TypeScript before this line.
import { register } from 'tsx/esm/api';

register();
await import('./predict-worker.ts');
