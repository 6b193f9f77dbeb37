-- AlterTable
-- A new order's row and its lines come on two topics, applied by two chunks a few ms to a few tens
-- of ms apart. The order's own row is queued with a due time a little later: its lines' chunk
-- queues the shopper at once, and the drain that recomputes a shopper takes every row queued for
-- them, due or not. So an order is recomputed, published and scored once, with its lines, instead
-- of twice; an order whose lines never come is recomputed when its row falls due.
ALTER TABLE `fs_recompute`
    ADD COLUMN `due_at` DATETIME(3) NULL,
    ADD INDEX `fs_recompute_user_id_idx` (`user_id`);
