import type { Area } from '../core/command.ts';
import { benchArea } from './bench/command.ts';
import { stackArea } from './stack/command.ts';
import { dbArea } from './db/command.ts';
import { modelArea } from './model/command.ts';
import { featuresArea } from './features/command.ts';
import { dataArea } from './data/command.ts';
import { recommendationsArea } from './recommendations/command.ts';
import { webArea } from './web/command.ts';
import { streamsArea } from './streams/command.ts';
import { faultsArea } from './faults/command.ts';

/** Every `npm run <area>`; an area lives in cli/<area>/command.ts. */
export const areas: Area[] = [
  stackArea,
  dbArea,
  featuresArea,
  dataArea,
  benchArea,
  modelArea,
  webArea,
  streamsArea,
  recommendationsArea,
  faultsArea,
];
