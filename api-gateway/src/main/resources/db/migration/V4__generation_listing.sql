-- Listing generations (GET /v1/generations, GET /v1/admin/generations): newest first, with a
-- cursor, by tenant, optionally by state. created_at is when the gateway accepted the request and
-- never changes (queued_at moves when a dead letter is replayed), so a cursor stays put.
ALTER TABLE generations ADD COLUMN created_at TIMESTAMPTZ;
UPDATE generations SET created_at = queued_at;
ALTER TABLE generations
    ALTER COLUMN created_at SET DEFAULT clock_timestamp(),
    ALTER COLUMN created_at SET NOT NULL;

-- a tenant's page: WHERE tenant_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC,
-- id DESC LIMIT n is a backward range scan of this index that stops after n rows
CREATE INDEX generations_tenant_created ON generations (tenant_id, created_at, id);
-- the same with a status filter (one index range per state, merged by PostgreSQL)
CREATE INDEX generations_tenant_state_created ON generations (tenant_id, state, created_at, id);
-- the same with a model filter (without it, a model the tenant never used scanned every row of
-- the tenant: 526 ms for 600k rows, docs/benchmarks/listing.md)
CREATE INDEX generations_tenant_model_created ON generations (tenant_id, model, created_at, id);
-- and a strategy filter (a strategy the tenant never used: 735 ms for 600k rows without it)
CREATE INDEX generations_tenant_strategy_created ON generations (tenant_id, strategy, created_at, id);
-- the admin's page over every tenant
CREATE INDEX generations_created ON generations (created_at, id);
-- the batch filter: the few rows of one dispatch batch
CREATE INDEX generations_batch ON generations (batch_id) WHERE batch_id IS NOT NULL;
