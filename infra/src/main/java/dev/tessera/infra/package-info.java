/**
 * The composition root: {@link dev.tessera.infra.EmbeddedServers} (Kafka in KRaft mode, PostgreSQL,
 * Redis, all in or under this JVM), {@link dev.tessera.infra.TesseraApplication} (gateway, scheduler
 * and worker in one Spring context) and {@link dev.tessera.infra.TesseraMain}, the launcher behind
 * {@code ./tessera}.
 */
package dev.tessera.infra;
