CREATE TABLE `chat_messages` (
	`id` varchar(36) NOT NULL,
	`session_id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`role` enum('user','assistant') NOT NULL,
	`content` mediumtext NOT NULL,
	`turn_id` varchar(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `chat_messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `chat_messages_turn_role` UNIQUE(`turn_id`,`role`)
);
--> statement-breakpoint
CREATE TABLE `chat_sessions` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`title` varchar(120),
	`system_prompt` mediumtext NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`last_activity_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `chat_sessions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `turn_claims` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`session_id` varchar(36) NOT NULL,
	`idempotency_key` varchar(128) NOT NULL,
	`request_hash` char(64) NOT NULL,
	`status` enum('running','done','failed') NOT NULL,
	`attempt` int NOT NULL DEFAULT 1,
	`answer` mediumtext,
	`failure_reason` varchar(255),
	`heartbeat_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` datetime(3),
	CONSTRAINT `turn_claims_id` PRIMARY KEY(`id`),
	CONSTRAINT `turn_claims_user_key` UNIQUE(`user_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `goal_evaluations` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`goal_id` varchar(36) NOT NULL,
	`period` date NOT NULL,
	`value` double,
	`hit` boolean NOT NULL,
	`no_data` boolean NOT NULL DEFAULT false,
	`evaluated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `goal_evaluations_id` PRIMARY KEY(`id`),
	CONSTRAINT `goal_evaluations_goal_period` UNIQUE(`goal_id`,`period`)
);
--> statement-breakpoint
CREATE TABLE `goals` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`watch_id` varchar(64) NOT NULL,
	`session_id` varchar(36),
	`description` text NOT NULL,
	`status` enum('awaiting_confirmation','active','paused','achieved','missed','errored') NOT NULL,
	`kind` enum('streak','count_hits_in_window','sustained_pattern') NOT NULL,
	`recipe` json NOT NULL,
	`target` int NOT NULL,
	`window_days` int NOT NULL,
	`timezone` varchar(64) NOT NULL,
	`starts_on` date,
	`ends_on` date,
	`last_evaluated_day` date,
	`next_due_at` datetime(3),
	`error_message` varchar(500),
	`confirmed_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `goals_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `intercom_handovers` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`session_id` varchar(36) NOT NULL,
	`turn_id` varchar(36),
	`status` enum('pending','accepted','failed') NOT NULL,
	`summary` text NOT NULL,
	`intercom_contact_id` varchar(64),
	`intercom_conversation_id` varchar(64),
	`error` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `intercom_handovers_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `background_tasks` (
	`id` varchar(36) NOT NULL,
	`kind` varchar(40) NOT NULL,
	`status` enum('queued','running','done','failed') NOT NULL,
	`params` json,
	`result` json,
	`error` text,
	`requested_by` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`started_at` datetime(3),
	`heartbeat_at` datetime(3),
	`finished_at` datetime(3),
	CONSTRAINT `background_tasks_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `qa_results` (
	`id` varchar(36) NOT NULL,
	`task_id` varchar(36) NOT NULL,
	`position` int NOT NULL,
	`question` text NOT NULL,
	`answer` text,
	`verdict` varchar(20),
	`latency_ms` int,
	`error` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `qa_results_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `memories` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`content` text NOT NULL,
	`embedding` json NOT NULL,
	`embedding_model` varchar(100) NOT NULL,
	`source_session_id` varchar(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `memories_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `safety_audit` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`session_id` varchar(36),
	`turn_id` varchar(36),
	`layer` tinyint NOT NULL,
	`category` varchar(40) NOT NULL,
	`action` varchar(40) NOT NULL,
	`detail` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `safety_audit_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `chat_messages` ADD CONSTRAINT `chat_messages_session_id_chat_sessions_id_fk` FOREIGN KEY (`session_id`) REFERENCES `chat_sessions`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `goal_evaluations` ADD CONSTRAINT `goal_evaluations_goal_id_goals_id_fk` FOREIGN KEY (`goal_id`) REFERENCES `goals`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `qa_results` ADD CONSTRAINT `qa_results_task_id_background_tasks_id_fk` FOREIGN KEY (`task_id`) REFERENCES `background_tasks`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `chat_messages_session_created` ON `chat_messages` (`session_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `chat_sessions_user_activity` ON `chat_sessions` (`user_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `turn_claims_status_heartbeat` ON `turn_claims` (`status`,`heartbeat_at`);--> statement-breakpoint
CREATE INDEX `turn_claims_created` ON `turn_claims` (`created_at`);--> statement-breakpoint
CREATE INDEX `goals_user_created` ON `goals` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `goals_status_due` ON `goals` (`status`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `goals_watch` ON `goals` (`watch_id`);--> statement-breakpoint
CREATE INDEX `intercom_handovers_user_created` ON `intercom_handovers` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `background_tasks_kind_created` ON `background_tasks` (`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `background_tasks_status` ON `background_tasks` (`status`);--> statement-breakpoint
CREATE INDEX `qa_results_task_position` ON `qa_results` (`task_id`,`position`);--> statement-breakpoint
CREATE INDEX `memories_user_updated` ON `memories` (`user_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `safety_audit_created_layer` ON `safety_audit` (`created_at`,`layer`,`category`);--> statement-breakpoint
CREATE INDEX `safety_audit_turn` ON `safety_audit` (`turn_id`);