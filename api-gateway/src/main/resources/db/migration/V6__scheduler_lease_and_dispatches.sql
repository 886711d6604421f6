-- One active scheduler at a time: the holder of the 'dispatch' lease. A scheduler renews it while it
-- lives; another takes it over once it has expired (PostgreSQL's clock decides), and every takeover
-- increments the fencing token. A claim of rows checks, under a share lock of this row, that its
-- scheduler still holds the token it dispatches with, so a deposed scheduler's claim is refused.
CREATE TABLE scheduler_leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT,
    token       BIGINT NOT NULL DEFAULT 0,
    acquired_at TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
INSERT INTO scheduler_leases (name) VALUES ('dispatch');

-- Every dispatch of a request, written in the transaction that claims it: which attempt went to
-- which worker, in which batch, by which scheduler under which token. The key makes a second
-- dispatch of one attempt impossible.
CREATE TABLE dispatches (
    request_id    UUID        NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
    attempt       INT         NOT NULL,
    batch_id      UUID        NOT NULL,
    worker_id     TEXT        NOT NULL,
    scheduler_id  TEXT        NOT NULL,
    fencing_token BIGINT      NOT NULL,
    dispatched_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, attempt)
);
CREATE INDEX dispatches_worker ON dispatches (worker_id, dispatched_at);
