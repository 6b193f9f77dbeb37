-- CreateTable
-- Shoppers whose base state changed and whose features are still to be recomputed, written in the
-- transaction that changed the state (so a crash between the two loses nothing). The live consumer
-- recomputes them after the chunk commits, each shopper once however many topics and chunks touched
-- them meanwhile, and deletes exactly the rows it read: a row added during a recompute stays queued.
CREATE TABLE `fs_recompute` (
    `seq` BIGINT NOT NULL AUTO_INCREMENT,
    `user_id` INTEGER NOT NULL,

    PRIMARY KEY (`seq`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
