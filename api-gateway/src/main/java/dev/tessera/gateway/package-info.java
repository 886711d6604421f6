/**
 * The HTTP front door: API keys → tenants, {@code /v1/generations} and {@code /v1/models}, reading
 * results (Redis first, PostgreSQL second), and the result recorder that turns worker events into the
 * durable row, the usage ledger and the Redis cache. Owns the PostgreSQL schema (Flyway).
 */
package dev.tessera.gateway;
