CREATE TABLE `daily_stats` (
	`day` date NOT NULL,
	`metric` varchar(40) NOT NULL,
	`label` varchar(64) NOT NULL,
	`bucket` smallint NOT NULL,
	`n` bigint unsigned NOT NULL,
	CONSTRAINT `daily_stats_day_metric_label_bucket_pk` PRIMARY KEY(`day`,`metric`,`label`,`bucket`)
);
--> statement-breakpoint
ALTER TABLE `goals` ADD `evaluation_errors` int DEFAULT 0 NOT NULL;