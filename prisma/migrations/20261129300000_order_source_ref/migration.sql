-- An imported order's source reference, unique: re-importing a file skips what is already in.
-- AlterTable
ALTER TABLE `orders` ADD COLUMN `source_ref` VARCHAR(100) NULL;

-- CreateIndex
CREATE UNIQUE INDEX `orders_source_ref_key` ON `orders`(`source_ref`);
