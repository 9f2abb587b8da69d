CREATE TYPE "public"."activity_kind" AS ENUM('page', 'quiz', 'assignment', 'discussion', 'live_session');--> statement-breakpoint
CREATE TYPE "public"."eligibility" AS ENUM('open', 'validated', 'invite');--> statement-breakpoint
CREATE TYPE "public"."offering_kind" AS ENUM('mooc', 'short_course', 'webinar', 'webinar_series', 'online_event');--> statement-breakpoint
CREATE TYPE "public"."offering_status" AS ENUM('draft', 'published', 'archived');--> statement-breakpoint
CREATE TYPE "public"."pacing_mode" AS ENUM('cohort', 'self_paced');--> statement-breakpoint
CREATE TYPE "public"."progress_status" AS ENUM('started', 'submitted', 'returned', 'done');--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"module_id" uuid,
	"position" integer NOT NULL,
	"kind" "activity_kind" NOT NULL,
	"title" text NOT NULL,
	"required" boolean DEFAULT true NOT NULL,
	"estimated_minutes" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"live_session_id" uuid,
	"content" jsonb NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "activity_progress" (
	"user_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"status" "progress_status" DEFAULT 'started' NOT NULL,
	"score" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_progress_user_id_activity_id_pk" PRIMARY KEY("user_id","activity_id")
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"organiser_time_zone" text NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"join_url" text DEFAULT '' NOT NULL,
	"capacity_note" text DEFAULT '' NOT NULL,
	"recording_url" text,
	"attendance_threshold_percent" integer DEFAULT 75 NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "live_sessions_duration" CHECK ("live_sessions"."duration_minutes" between 5 and 1440)
);
--> statement-breakpoint
CREATE TABLE "modules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offering_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"release_at" timestamp with time zone,
	"release_offset_days" integer
);
--> statement-breakpoint
CREATE TABLE "offering_trainers" (
	"offering_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "offering_trainers_offering_id_user_id_pk" PRIMARY KEY("offering_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "offerings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"kind" "offering_kind" NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"language" text NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"eligibility" "eligibility" DEFAULT 'open' NOT NULL,
	"expected_minutes" integer DEFAULT 0 NOT NULL,
	"organiser_time_zone" text NOT NULL,
	"enrolment_opens_at" timestamp with time zone,
	"enrolment_closes_at" timestamp with time zone,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"completion_deadline" timestamp with time zone,
	"capacity" integer,
	"waitlist_enabled" boolean DEFAULT false NOT NULL,
	"certificate_enabled" boolean DEFAULT true NOT NULL,
	"status" "offering_status" DEFAULT 'draft' NOT NULL,
	"pacing_mode" "pacing_mode" DEFAULT 'cohort' NOT NULL,
	"max_deadline_shifts" integer DEFAULT 2 NOT NULL,
	"required_sessions" integer DEFAULT 1 NOT NULL,
	"seats_taken" integer DEFAULT 0 NOT NULL,
	"previous_edition_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"search_text" text DEFAULT '' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', "offerings"."search_text")) STORED,
	CONSTRAINT "offerings_capacity_positive" CHECK ("offerings"."capacity" is null or "offerings"."capacity" > 0),
	CONSTRAINT "offerings_seats_within_capacity" CHECK ("offerings"."seats_taken" >= 0 and ("offerings"."capacity" is null or "offerings"."seats_taken" <= "offerings"."capacity"))
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_live_session_id_live_sessions_id_fk" FOREIGN KEY ("live_session_id") REFERENCES "public"."live_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_progress" ADD CONSTRAINT "activity_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_progress" ADD CONSTRAINT "activity_progress_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "modules" ADD CONSTRAINT "modules_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offering_trainers" ADD CONSTRAINT "offering_trainers_offering_id_offerings_id_fk" FOREIGN KEY ("offering_id") REFERENCES "public"."offerings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offering_trainers" ADD CONSTRAINT "offering_trainers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_offering_idx" ON "activities" USING btree ("offering_id","module_id","position");--> statement-breakpoint
CREATE INDEX "activity_progress_activity_idx" ON "activity_progress" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "live_sessions_offering_idx" ON "live_sessions" USING btree ("offering_id","starts_at");--> statement-breakpoint
CREATE INDEX "modules_offering_idx" ON "modules" USING btree ("offering_id","position");--> statement-breakpoint
CREATE INDEX "offering_trainers_user_idx" ON "offering_trainers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offerings_slug_unique" ON "offerings" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "offerings_catalogue_idx" ON "offerings" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "offerings_search_idx" ON "offerings" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "offerings_topics_idx" ON "offerings" USING gin ("topics");--> statement-breakpoint
CREATE INDEX "offerings_audiences_idx" ON "offerings" USING gin ("target_audiences");