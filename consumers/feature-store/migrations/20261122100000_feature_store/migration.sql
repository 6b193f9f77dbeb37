-- The feature store's own tables. The fs_* tables mirror the CDC stream (base state); every row
-- carries the binlog position of the change that wrote it, so a redelivered or replayed
-- (older) event can never overwrite newer state: applying an event twice is a no-op.

-- CreateTable
CREATE TABLE `fs_users` (
    `user_id` INTEGER NOT NULL,
    `gender` ENUM('F', 'M') NOT NULL,
    `region` VARCHAR(64) NOT NULL,
    `tenure_months` INTEGER NOT NULL,
    `deleted` BOOLEAN NOT NULL DEFAULT false,
    `src_pos` CHAR(32) NOT NULL,
    `src_ts` DATETIME(3) NOT NULL,

    PRIMARY KEY (`user_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `fs_categories` (
    `category_id` INTEGER NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `model_index` INTEGER NOT NULL,
    `src_pos` CHAR(32) NOT NULL,

    PRIMARY KEY (`category_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `fs_products` (
    `product_id` INTEGER NOT NULL,
    `category_id` INTEGER NOT NULL,
    `price` DECIMAL(12, 2) NOT NULL,
    `deleted` BOOLEAN NOT NULL DEFAULT false,
    `src_pos` CHAR(32) NOT NULL,

    PRIMARY KEY (`product_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
-- Every category a product has had, by binlog position: a line takes the category in force at
-- its own position, whatever order the topics are read in (live, replay, several instances).
CREATE TABLE `fs_product_versions` (
    `product_id` INTEGER NOT NULL,
    `src_pos` CHAR(32) NOT NULL,
    `category_id` INTEGER NOT NULL,

    PRIMARY KEY (`product_id`, `src_pos`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `fs_orders` (
    `order_id` BIGINT NOT NULL,
    `user_id` INTEGER NOT NULL,
    `status` ENUM('placed', 'paid', 'cancelled', 'refunded') NOT NULL,
    `status_changed_at` DATETIME(3) NULL,
    `coupon_status` ENUM('clicked', 'used', 'not_used') NULL,
    `delivery_charge` DECIMAL(10, 2) NOT NULL,
    `placed_at` DATETIME(3) NOT NULL,
    `deleted` BOOLEAN NOT NULL DEFAULT false,
    `src_pos` CHAR(32) NOT NULL,
    `src_ts` DATETIME(3) NOT NULL,

    INDEX `fs_orders_user_id_idx`(`user_id`),
    PRIMARY KEY (`order_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `fs_order_items` (
    `item_id` BIGINT NOT NULL,
    `order_id` BIGINT NOT NULL,
    `product_id` INTEGER NOT NULL,
    -- The product's category at this line's binlog position (see fs_product_versions): a later
    -- change of the product's category moves only later contributions.
    `category_id` INTEGER NULL,
    `quantity` INTEGER NOT NULL,
    `unit_price` DECIMAL(12, 2) NOT NULL,
    `deleted` BOOLEAN NOT NULL DEFAULT false,
    `src_pos` CHAR(32) NOT NULL,
    `src_ts` DATETIME(3) NOT NULL,

    INDEX `fs_order_items_order_id_idx`(`order_id`),
    INDEX `fs_order_items_product_id_idx`(`product_id`),
    PRIMARY KEY (`item_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `user_features` (
    `user_id` INTEGER NOT NULL,
    `as_of` DATETIME(3) NOT NULL,
    `source_ts` DATETIME(3) NOT NULL,
    `features` MEDIUMTEXT NOT NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`user_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
-- Events whose referenced row (user, order, product) has not arrived yet. Usually the other
-- topic is just behind; one still dangling after the grace period is dead-lettered.
CREATE TABLE `fs_pending` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `ref_kind` ENUM('user', 'order', 'product') NOT NULL,
    `ref_id` BIGINT NOT NULL,
    `topic` VARCHAR(249) NOT NULL,
    `kafka_partition` INTEGER NOT NULL,
    `kafka_offset` BIGINT NOT NULL,
    `msg_key` MEDIUMBLOB NULL,
    `msg_value` MEDIUMBLOB NULL,
    `msg_headers` TEXT NOT NULL,
    `first_seen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `fs_pending_topic_partition_offset_key`(`topic`, `kafka_partition`, `kafka_offset`, `ref_kind`),
    INDEX `fs_pending_ref_kind_ref_id_idx`(`ref_kind`, `ref_id`),
    INDEX `fs_pending_first_seen_idx`(`first_seen`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
