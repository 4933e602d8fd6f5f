CREATE TABLE "audit_findings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_findings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dataset" text NOT NULL,
	"query_id" text NOT NULL,
	"product_id" text NOT NULL,
	"rule" text NOT NULL,
	"confidence" real NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution_judgment_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "audit_findings_identity" UNIQUE("dataset","query_id","product_id","rule"),
	CONSTRAINT "audit_findings_status_values" CHECK ("audit_findings"."status" in ('open', 'resolved', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "engagement" (
	"dataset" text NOT NULL,
	"query_id" text NOT NULL,
	"product_id" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"impressions" integer NOT NULL,
	"clicks" integer NOT NULL,
	"add_to_carts" integer NOT NULL,
	"purchases" integer NOT NULL,
	"mean_position" real,
	CONSTRAINT "engagement_dataset_query_id_product_id_window_start_window_end_pk" PRIMARY KEY("dataset","query_id","product_id","window_start","window_end"),
	CONSTRAINT "engagement_window" CHECK ("engagement"."window_start" < "engagement"."window_end"),
	CONSTRAINT "engagement_counts" CHECK ("engagement"."impressions" >= 0 and "engagement"."clicks" >= 0 and "engagement"."add_to_carts" >= 0 and "engagement"."purchases" >= 0)
);
--> statement-breakpoint
CREATE TABLE "judge_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"judge" text NOT NULL,
	"response" jsonb NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "judgments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dataset" text NOT NULL,
	"query_id" text NOT NULL,
	"product_id" text NOT NULL,
	"grade" smallint NOT NULL,
	"raw_label" text NOT NULL,
	"source" text NOT NULL,
	"judge" text DEFAULT '' NOT NULL,
	"guideline_version" text DEFAULT '' NOT NULL,
	"confidence" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "judgments_identity" UNIQUE("dataset","query_id","product_id","source","judge","guideline_version"),
	CONSTRAINT "judgments_grade" CHECK ("judgments"."grade" in (0, 1, 2)),
	CONSTRAINT "judgments_source" CHECK ("judgments"."source" in ('human', 'judge', 'llm', 'audit', 'expert')),
	CONSTRAINT "judgments_confidence" CHECK ("judgments"."confidence" is null or ("judgments"."confidence" >= 0 and "judgments"."confidence" <= 1))
);
--> statement-breakpoint
CREATE TABLE "products" (
	"dataset" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"fields" jsonb NOT NULL,
	"locale" text,
	CONSTRAINT "products_dataset_id_pk" PRIMARY KEY("dataset","id")
);
--> statement-breakpoint
CREATE TABLE "queries" (
	"dataset" text NOT NULL,
	"id" text NOT NULL,
	"text" text NOT NULL,
	"locale" text,
	CONSTRAINT "queries_dataset_id_pk" PRIMARY KEY("dataset","id")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"stages" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "runs_status" CHECK ("runs"."status" in ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "audit_findings" ADD CONSTRAINT "audit_findings_resolution_judgment_id_judgments_id_fk" FOREIGN KEY ("resolution_judgment_id") REFERENCES "public"."judgments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_dataset_query_id_queries_dataset_id_fk" FOREIGN KEY ("dataset","query_id") REFERENCES "public"."queries"("dataset","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_dataset_product_id_products_dataset_id_fk" FOREIGN KEY ("dataset","product_id") REFERENCES "public"."products"("dataset","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_findings_status" ON "audit_findings" USING btree ("status","id");