CREATE TABLE `dev_users` (
	`username` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `dev_users_username` PRIMARY KEY(`username`)
);
--> statement-breakpoint
ALTER TABLE `qa_results` ADD `question_id` varchar(64) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `status` enum('pending','done','failed') DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `expected_tools` json;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `tools_called` json;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `safety_hits` json;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `session_id` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `turn_id` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `qa_results` ADD `finished_at` datetime(3);--> statement-breakpoint
ALTER TABLE `qa_results` ADD CONSTRAINT `qa_results_task_position_unique` UNIQUE(`task_id`,`position`);--> statement-breakpoint
CREATE INDEX `qa_results_task_status` ON `qa_results` (`task_id`,`status`);