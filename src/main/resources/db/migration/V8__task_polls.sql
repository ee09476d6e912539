-- When reconciliation last polled a contact's tasks (GHL sends no webhook for task edits or un-completion).
ALTER TABLE sync_state ADD COLUMN tasks_polled_at TIMESTAMP WITH TIME ZONE;
