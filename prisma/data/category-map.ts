// The category map moved to streams/catalog (consumers and the model share it); this keeps old imports working.
export * from '../../streams/catalog/category-map.ts';
