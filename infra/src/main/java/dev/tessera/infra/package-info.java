/**
 * The composition root's commands: {@link dev.tessera.infra.TesseraMain}, the launcher behind
 * {@code ./tessera}, and {@code serve}. What they start lives in {@code dev.tessera.infra.local}
 * (one JVM), {@code dev.tessera.infra.cluster} (one process per service) and
 * {@code dev.tessera.infra.bench} (load benchmarks); none of those depends on this package.
 */
package dev.tessera.infra;
