-- CreateTable
-- Feature changes to publish on features.user.v1, written in the transaction that made them
-- (after the shopper's row lock, so one shopper's rows are in seq order), published in seq
-- order by one publisher at a time, and deleted only after the broker acknowledged them.
-- features NULL is a tombstone.
CREATE TABLE `fs_outbox` (
    `seq` BIGINT NOT NULL AUTO_INCREMENT,
    `user_id` INTEGER NOT NULL,
    `features` MEDIUMTEXT NULL,
    `source_ts` VARCHAR(40) NULL,

    PRIMARY KEY (`seq`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
-- One row: whoever holds its lock is the only publisher, so the topic gets the outbox's order.
CREATE TABLE `fs_outbox_publisher` (
    `id` TINYINT NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO `fs_outbox_publisher` (`id`) VALUES (1);
