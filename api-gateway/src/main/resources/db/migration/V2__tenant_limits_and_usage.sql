-- Tenants, keys, limits and usage (issue 7). V1 already holds the tables; this adds what the
-- accounting relies on.

-- a usage event exists only for a terminal request, and only a SUCCEEDED one is billable
ALTER TABLE usage_events
    ADD CONSTRAINT usage_events_terminal CHECK (state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED')),
    ADD CONSTRAINT usage_events_billable_succeeded CHECK (NOT billable OR state = 'SUCCEEDED');

-- the in-flight limit's reconciliation: a tenant's requests that are not terminal yet
CREATE INDEX generations_tenant_active ON generations (tenant_id)
    WHERE state IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING');

-- the admin API lists a tenant's keys, revoked ones included, newest first
DROP INDEX api_keys_tenant;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at DESC);
