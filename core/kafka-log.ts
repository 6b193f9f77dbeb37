import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from './logger.ts';

/** Routes kafkajs' own log lines into our JSON logger instead of its console output. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const child = { ...fields, logger: 'kafkajs' };
      // kafkajs reports every heartbeat refused during a rebalance as an error; it is routine.
      if (String(fields.error ?? '').includes('rebalancing')) logger.debug(message, child);
      else if (level === logLevel.ERROR) logger.error(message, child);
      else if (level === logLevel.WARN) logger.warn(message, child);
      else if (level === logLevel.INFO) logger.debug(message, child);
      else logger.debug(message, child);
    };
}
