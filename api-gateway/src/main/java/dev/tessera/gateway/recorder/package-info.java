/**
 * The result recorder: worker events from {@code tessera.results} into the final row, the usage
 * ledger and the Redis cache, idempotently by request id; dead letters.
 */
package dev.tessera.gateway.recorder;
