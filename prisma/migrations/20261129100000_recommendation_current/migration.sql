-- CreateTable
CREATE TABLE `recommendation_current` (
    `user_id` INTEGER NOT NULL,
    `recommendation_id` CHAR(36) NOT NULL,
    `model_version` VARCHAR(64) NOT NULL,
    `trigger_kind` VARCHAR(16) NOT NULL,
    `cold_start` BOOLEAN NOT NULL,
    `source_ts` DATETIME(3) NOT NULL,
    `produced_at` DATETIME(3) NOT NULL,
    `payload` JSON NOT NULL,
    `materialized_at` DATETIME(3) NOT NULL,

    INDEX `recommendation_current_model_version_idx`(`model_version`),
    INDEX `recommendation_current_materialized_at_idx`(`materialized_at`),
    PRIMARY KEY (`user_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
