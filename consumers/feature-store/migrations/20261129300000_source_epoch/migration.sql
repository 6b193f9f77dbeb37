-- Binlog positions gain the source epoch in front (see position.ts): `EEEEEE:` + the old 32
-- characters. Rows written before it are epoch 0, the epoch of a binlog named without `-gN`.
ALTER TABLE `fs_users` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_users` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
ALTER TABLE `fs_categories` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_categories` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
ALTER TABLE `fs_products` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_products` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
ALTER TABLE `fs_product_versions` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_product_versions` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
ALTER TABLE `fs_orders` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_orders` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
ALTER TABLE `fs_order_items` MODIFY `src_pos` CHAR(39) NOT NULL;
UPDATE `fs_order_items` SET `src_pos` = CONCAT('000000:', `src_pos`) WHERE CHAR_LENGTH(`src_pos`) = 32;
