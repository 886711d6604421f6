-- Retries and dead letters. Retries are driven by the scheduler and durable here: a retryable
-- failure puts a generation in RETRYING until retry_at, and the scheduler polls for the due ones.
-- error_code and error_message (V1) keep the last attempt's error while it waits.
ALTER TABLE generations ADD COLUMN retry_at TIMESTAMPTZ;

-- the scheduler's retry poll: waiting retries by due time
CREATE INDEX generations_retry_due ON generations (retry_at) WHERE state = 'RETRYING';

-- dead_letters (V1) held messages that could not be processed ('message'). It now also holds the
-- requests that ended FAILED ('request': not retryable, or out of retries), one row per failure,
-- with what a replay needs: payload is the request as JSON (a GenerationRequest), error its
-- message.
ALTER TABLE dead_letters
    ADD COLUMN kind       TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'request')),
    ADD COLUMN tenant_id  UUID REFERENCES tenants (id),
    ADD COLUMN model      TEXT,
    ADD COLUMN strategy   TEXT,
    ADD COLUMN error_code TEXT,
    ADD CONSTRAINT dead_letters_request_complete CHECK (kind = 'message'
        OR (request_id IS NOT NULL AND tenant_id IS NOT NULL AND model IS NOT NULL
            AND strategy IS NOT NULL AND error_code IS NOT NULL AND payload IS NOT NULL));

-- the admin list, newest first, for everyone or one tenant
CREATE INDEX dead_letters_created ON dead_letters (created_at DESC, id DESC);
CREATE INDEX dead_letters_tenant_created ON dead_letters (tenant_id, created_at DESC, id DESC)
    WHERE tenant_id IS NOT NULL;
