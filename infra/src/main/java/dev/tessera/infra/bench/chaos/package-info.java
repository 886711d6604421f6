/**
 * {@code ./tessera bench chaos}: the multi-process cluster under a steady load from careful clients,
 * while a seeded schedule kills, freezes and restarts services and takes Kafka, PostgreSQL and Redis
 * away; then a reconciliation of what the clients saw against PostgreSQL, Redis and Kafka.
 */
package dev.tessera.infra.bench.chaos;
