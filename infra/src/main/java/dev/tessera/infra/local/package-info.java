/**
 * The whole system in or under this JVM: {@link dev.tessera.infra.local.EmbeddedServers} (Kafka in
 * KRaft mode, PostgreSQL, Redis), {@link dev.tessera.infra.local.TesseraApplication} (gateway,
 * scheduler and worker in one Spring context), {@link dev.tessera.infra.local.LocalSystem} (both
 * together, as {@code serve} and {@code bench load} start them) and the local state they keep.
 */
package dev.tessera.infra.local;
