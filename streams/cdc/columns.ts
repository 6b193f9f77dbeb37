import { z } from 'zod';

/**
 * Column decoders for Debezium's JsonConverter output with schemas off and our connector
 * settings (decimal.handling.mode=string, time.precision.mode=adaptive_time_microseconds).
 */

/** DECIMAL arrives as a plain decimal string ("19.99"); base64 here means the connector config drifted. */
export const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string (is decimal.handling.mode=string?)')
  .transform((s) => Number(s));

/** DATETIME(0..3) arrives as epoch milliseconds of the wall-clock value, which our server keeps in UTC. */
export const datetimeMs = z
  .number()
  .int()
  .transform((ms) => new Date(ms));

export const id = z.number().int().positive();
export const nullableString = z.string().nullable();
