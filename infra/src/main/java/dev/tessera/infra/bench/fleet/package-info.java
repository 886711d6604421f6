/**
 * {@code ./tessera bench fleet}: the real gateways, schedulers, Kafka, PostgreSQL and Redis with a
 * fleet of simulated workers, to measure each stage's ceiling beyond what this machine can decode.
 */
package dev.tessera.infra.bench.fleet;
