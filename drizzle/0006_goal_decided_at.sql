ALTER TABLE `goals` ADD `decided_at` datetime(3);--> statement-breakpoint
CREATE INDEX `goals_decided` ON `goals` (`decided_at`);