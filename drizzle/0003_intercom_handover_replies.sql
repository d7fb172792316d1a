DROP INDEX `intercom_handovers_user_created` ON `intercom_handovers`;--> statement-breakpoint
ALTER TABLE `chat_messages` MODIFY COLUMN `role` enum('user','assistant','support') NOT NULL;--> statement-breakpoint
ALTER TABLE `chat_messages` ADD `author_name` varchar(255);--> statement-breakpoint
ALTER TABLE `chat_messages` ADD `intercom_part_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `intercom_handovers` ADD `question` text;--> statement-breakpoint
ALTER TABLE `intercom_handovers` ADD `last_reply_message_id` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `chat_messages` ADD CONSTRAINT `chat_messages_intercom_part` UNIQUE(`intercom_part_id`);--> statement-breakpoint
ALTER TABLE `intercom_handovers` ADD CONSTRAINT `intercom_handovers_conversation` UNIQUE(`intercom_conversation_id`);--> statement-breakpoint
CREATE INDEX `intercom_handovers_created` ON `intercom_handovers` (`created_at`);--> statement-breakpoint
CREATE INDEX `intercom_handovers_user_created` ON `intercom_handovers` (`user_id`,`created_at`,`id`);