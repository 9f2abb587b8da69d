CREATE INDEX "user_roles_granted_by_idx" ON "user_roles" USING btree ("granted_by") WHERE "user_roles"."granted_by" is not null;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id") WHERE "audit_log"."actor_id" is not null;--> statement-breakpoint
CREATE INDEX "staff_validation_decided_by_idx" ON "staff_validation_requests" USING btree ("decided_by") WHERE "staff_validation_requests"."decided_by" is not null;--> statement-breakpoint
CREATE INDEX "activities_module_idx" ON "activities" USING btree ("module_id") WHERE "activities"."module_id" is not null;--> statement-breakpoint
CREATE INDEX "activities_live_session_idx" ON "activities" USING btree ("live_session_id") WHERE "activities"."live_session_id" is not null;--> statement-breakpoint
CREATE INDEX "live_sessions_upcoming_idx" ON "live_sessions" USING btree ("starts_at") WHERE "live_sessions"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "offerings_created_by_idx" ON "offerings" USING btree ("created_by") WHERE "offerings"."created_by" is not null;--> statement-breakpoint
CREATE INDEX "completion_events_unprocessed_idx" ON "completion_events" USING btree ("occurred_at") WHERE "completion_events"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "discussion_posts_author_idx" ON "discussion_posts" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "discussion_posts_hidden_by_idx" ON "discussion_posts" USING btree ("hidden_by") WHERE "discussion_posts"."hidden_by" is not null;--> statement-breakpoint
CREATE INDEX "enrolments_removed_by_idx" ON "enrolments" USING btree ("removed_by") WHERE "enrolments"."removed_by" is not null;--> statement-breakpoint
CREATE INDEX "invitations_email_idx" ON "invitations" USING btree ("email");--> statement-breakpoint
CREATE INDEX "invitations_invited_by_idx" ON "invitations" USING btree ("invited_by") WHERE "invitations"."invited_by" is not null;--> statement-breakpoint
CREATE INDEX "invitations_accepted_by_idx" ON "invitations" USING btree ("accepted_by") WHERE "invitations"."accepted_by" is not null;--> statement-breakpoint
CREATE INDEX "quiz_attempts_activity_idx" ON "quiz_attempts" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "submissions_reviewed_by_idx" ON "submissions" USING btree ("reviewed_by") WHERE "submissions"."reviewed_by" is not null;--> statement-breakpoint
CREATE INDEX "attendance_imports_imported_by_idx" ON "attendance_imports" USING btree ("imported_by") WHERE "attendance_imports"."imported_by" is not null;--> statement-breakpoint
CREATE INDEX "offering_messages_session_idx" ON "offering_messages" USING btree ("session_id") WHERE "offering_messages"."session_id" is not null;--> statement-breakpoint
CREATE INDEX "offering_messages_sender_idx" ON "offering_messages" USING btree ("sender_id") WHERE "offering_messages"."sender_id" is not null;--> statement-breakpoint
CREATE INDEX "session_attendance_report_import_idx" ON "session_attendance" USING btree ("report_import_id") WHERE "session_attendance"."report_import_id" is not null;--> statement-breakpoint
CREATE INDEX "session_attendance_manual_by_idx" ON "session_attendance" USING btree ("manual_by") WHERE "session_attendance"."manual_by" is not null;--> statement-breakpoint
CREATE INDEX "certificates_issued_by_idx" ON "certificates" USING btree ("issued_by") WHERE "certificates"."issued_by" is not null;--> statement-breakpoint
CREATE INDEX "certificates_revoked_by_idx" ON "certificates" USING btree ("revoked_by") WHERE "certificates"."revoked_by" is not null;