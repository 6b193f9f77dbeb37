-- CreateTable
CREATE TABLE `model_versions` (
    `version` VARCHAR(64) NOT NULL,
    `status` ENUM('candidate', 'champion', 'retired') NOT NULL DEFAULT 'candidate',
    `schema_hash` CHAR(64) NOT NULL,
    `backend` VARCHAR(32) NOT NULL,
    `metric` VARCHAR(32) NOT NULL,
    `metric_value` DOUBLE NOT NULL,
    `data_from` DATETIME(3) NOT NULL,
    `data_to` DATETIME(3) NOT NULL,
    `artifact_path` VARCHAR(512) NOT NULL,
    `metrics` TEXT NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `promoted_at` DATETIME(3) NULL,

    INDEX `model_versions_status_idx`(`status`),
    PRIMARY KEY (`version`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
