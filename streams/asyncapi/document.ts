import { topicCatalog } from '../catalog.ts';
import { buildAsyncApi } from './build-asyncapi.ts';

/** Where the checked-in document lives, relative to the repository root. */
export const ASYNCAPI_FILE = 'streams/asyncapi.json';

/** The document as checked in: fixed version and broker, so regenerating it is reproducible. */
export const asyncApiDocument = () => buildAsyncApi(topicCatalog(), { version: '1.0.0', broker: '127.0.0.1:9092' });
