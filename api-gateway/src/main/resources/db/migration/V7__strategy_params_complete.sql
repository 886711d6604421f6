-- Every strategy parameter a request was accepted with, so that a request rebuilt from its row (a
-- retry, the scheduler's sweep, a new scheduler's recovery) decodes as it was asked: before this,
-- the LANTERN rule and the draft tree's parameters travelled only on Kafka and a rebuilt request got
-- the defaults. Rows stored earlier take the defaults their rebuilt requests were decoded with.
ALTER TABLE generations
    ADD COLUMN lantern_rule    TEXT             NOT NULL DEFAULT 'bounded',
    ADD COLUMN tree_top_k      INTEGER          NOT NULL DEFAULT 8,
    ADD COLUMN tree_tokens     INTEGER          NOT NULL DEFAULT 0,
    ADD COLUMN draft_threshold DOUBLE PRECISION NOT NULL DEFAULT 0,
    ADD COLUMN tree_kind       TEXT             NOT NULL DEFAULT 'dynamic';
