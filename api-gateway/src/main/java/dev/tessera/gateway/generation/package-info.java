/**
 * Submitting generations (validate, store QUEUED, publish) and reading them (Redis, then
 * PostgreSQL); the {@code generations} table.
 */
package dev.tessera.gateway.generation;
