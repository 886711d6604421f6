-- Webhooks (Standard Webhooks 1.0): where to send, what, and a durable outbox of deliveries.

-- endpoints a tenant registers through the admin API; each with its own signing secret
CREATE TABLE webhook_endpoints (
    id          UUID PRIMARY KEY,
    tenant_id   UUID NOT NULL REFERENCES tenants (id),
    url         TEXT NOT NULL,
    -- the event types sent to it, e.g. {generation.succeeded, generation.failed}
    events      TEXT[] NOT NULL,
    -- whsec_ + base64 of 32 random bytes; the key of the HMAC is the decoded bytes
    secret      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    disabled_at TIMESTAMPTZ
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

-- the secret that signs deliveries to a request's own webhook_url: one per tenant, made on first use
CREATE TABLE webhook_secrets (
    tenant_id  UUID PRIMARY KEY REFERENCES tenants (id),
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- a request's webhook_url and events, stored with the request in its transaction
CREATE TABLE generation_webhooks (
    generation_id UUID PRIMARY KEY REFERENCES generations (id),
    url           TEXT NOT NULL,
    events        TEXT[] NOT NULL
);

-- the outbox: one row per message and target, written in the transaction that ends the generation;
-- every gateway polls it and claims due rows with FOR UPDATE SKIP LOCKED
CREATE TABLE webhook_deliveries (
    -- the webhook-id header (msg_...), the same on every attempt: receivers deduplicate on it
    id               TEXT PRIMARY KEY,
    tenant_id        UUID NOT NULL REFERENCES tenants (id),
    generation_id    UUID NOT NULL REFERENCES generations (id),
    -- the registered endpoint, or NULL for the request's webhook_url (signed with webhook_secrets)
    endpoint_id      UUID REFERENCES webhook_endpoints (id),
    url              TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    -- the exact body sent on every attempt
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- when it is due; a claim moves it a lease ahead, so a gateway that dies mid-attempt leaves
    -- the row due again once the lease has passed
    next_attempt_at  TIMESTAMPTZ,
    last_status_code INTEGER,
    last_error       TEXT,
    last_latency_ms  BIGINT,
    created_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_generation ON webhook_deliveries (generation_id, created_at);

-- every attempt: when, the HTTP status (NULL if none came back), how long, what went wrong
CREATE TABLE webhook_attempts (
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempt      INTEGER NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL,
    status_code  INTEGER,
    latency_ms   BIGINT NOT NULL,
    error        TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
