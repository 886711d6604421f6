-- Tessera's schema. PostgreSQL is the source of truth for a generation's state; Kafka only carries
-- events between components. Owned by api-gateway: migrations live here and only here.

CREATE TABLE tenants (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    -- share of decode capacity relative to other tenants at the same priority (fair scheduling)
    weight         DOUBLE PRECISION NOT NULL DEFAULT 1.0 CHECK (weight > 0),
    -- limits, NULL = unlimited: token-bucket request rate, requests in flight, images per month
    rate_per_s     DOUBLE PRECISION CHECK (rate_per_s IS NULL OR rate_per_s > 0),
    max_in_flight  INTEGER CHECK (max_in_flight IS NULL OR max_in_flight > 0),
    monthly_images BIGINT CHECK (monthly_images IS NULL OR monthly_images >= 0),
    created_at     TIMESTAMPTZ NOT NULL,
    disabled_at    TIMESTAMPTZ
);

CREATE TABLE api_keys (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL REFERENCES tenants (id),
    -- public part of the key ("tsk_<prefix>_<secret>"), used to find the row; not secret
    prefix        TEXT NOT NULL UNIQUE,
    -- SHA-256 of the whole key; the key itself is shown once and never stored
    secret_sha256 BYTEA NOT NULL CHECK (length(secret_sha256) = 32),
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE generations (
    id                   UUID PRIMARY KEY,
    tenant_id            UUID NOT NULL REFERENCES tenants (id),
    api_key_id           UUID NOT NULL REFERENCES api_keys (id),
    -- Idempotency-Key header and a fingerprint of the body it came with
    idempotency_key      TEXT,
    request_fingerprint  TEXT,

    -- what was asked: every field of the wire request, so the scheduler can rebuild it from here
    model                TEXT NOT NULL,
    strategy             TEXT NOT NULL,
    class_label          INTEGER NOT NULL CHECK (class_label >= 0),
    seed                 BIGINT NOT NULL,
    cfg_scale            DOUBLE PRECISION NOT NULL,
    temperature          DOUBLE PRECISION NOT NULL,
    top_k                INTEGER NOT NULL,
    top_p                DOUBLE PRECISION NOT NULL,
    draft_len            INTEGER NOT NULL,
    lantern_k            INTEGER NOT NULL,
    lantern_delta        DOUBLE PRECISION NOT NULL,
    priority             TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
    deadline             TIMESTAMPTZ,

    -- where it is
    state                TEXT NOT NULL CHECK (state IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'SUCCEEDED',
                                                         'FAILED', 'CANCELLED', 'EXPIRED', 'RETRYING')),
    attempt              INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    batch_id             UUID,
    worker_id            TEXT,

    -- one timestamp per state (the latest entry into it); terminal ones are written once
    queued_at            TIMESTAMPTZ NOT NULL,
    dispatched_at        TIMESTAMPTZ,
    running_at           TIMESTAMPTZ,
    retrying_at          TIMESTAMPTZ,
    succeeded_at         TIMESTAMPTZ,
    failed_at            TIMESTAMPTZ,
    cancelled_at         TIMESTAMPTZ,
    expired_at           TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ NOT NULL,

    -- decode metrics reported by the worker
    steps                INTEGER,
    target_forwards      INTEGER,
    drafter_forwards     INTEGER,
    drafted_tokens       INTEGER,
    accepted_tokens      INTEGER,
    mean_accepted_length DOUBLE PRECISION,
    accepted_histogram   INTEGER[],

    -- latency metadata, derived when the result is recorded (milliseconds):
    -- queue = queued → dispatched, batch_wait = dispatched → running, decode and encode as measured
    -- by the worker, end_to_end = queued → terminal
    queue_ms             BIGINT,
    batch_wait_ms        BIGINT,
    decode_ms            BIGINT,
    encode_ms            BIGINT,
    end_to_end_ms        BIGINT,

    image_png            BYTEA,
    error_code           TEXT,
    error_message        TEXT
);
-- the scheduler's rebuild: rows waiting for a dispatch, oldest first
CREATE INDEX generations_pending ON generations (queued_at) WHERE state IN ('QUEUED', 'RETRYING');
CREATE INDEX generations_tenant_queued ON generations (tenant_id, queued_at DESC);
CREATE UNIQUE INDEX generations_idempotency ON generations (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- the usage ledger: one event per terminal request, written with the final state
CREATE TABLE usage_events (
    id               BIGSERIAL PRIMARY KEY,
    request_id       UUID NOT NULL UNIQUE REFERENCES generations (id),
    tenant_id        UUID NOT NULL REFERENCES tenants (id),
    api_key_id       UUID NOT NULL REFERENCES api_keys (id),
    model            TEXT NOT NULL,
    strategy         TEXT NOT NULL,
    state            TEXT NOT NULL,
    billable         BOOLEAN NOT NULL,
    images           INTEGER NOT NULL,
    tokens           INTEGER NOT NULL,
    target_forwards  INTEGER NOT NULL,
    drafter_forwards INTEGER NOT NULL,
    decode_ms        BIGINT NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX usage_events_tenant_time ON usage_events (tenant_id, occurred_at);

-- messages that could not be processed (undecodable, or out of retries)
CREATE TABLE dead_letters (
    id           BIGSERIAL PRIMARY KEY,
    request_id   UUID,
    topic        TEXT NOT NULL,
    partition_no INTEGER,
    offset_no    BIGINT,
    message_key  TEXT,
    payload      BYTEA,
    error        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    replayed_at  TIMESTAMPTZ
);
CREATE INDEX dead_letters_request ON dead_letters (request_id);
