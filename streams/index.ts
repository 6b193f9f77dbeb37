export * from './topic.ts';
export * from './cdc/envelope.ts';
export * from './cdc/tables.ts';
export * from './cdc/topics.ts';
export * from './cdc/decode.ts';
export * from '../core/errors.ts';
