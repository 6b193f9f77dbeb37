-- The end offsets of the topic that delivers a pending row's reference, taken when the sweep
-- first saw the row (JSON {"partition": offset}). The row is dead-lettered only once the consumer
-- has read that far on every partition: a consumer that is behind never dead-letters good events.
ALTER TABLE `fs_pending` ADD COLUMN `wait_for` TEXT NULL;
