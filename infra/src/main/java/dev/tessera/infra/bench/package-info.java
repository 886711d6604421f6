/**
 * {@code ./tessera bench load}: drives the whole system over HTTP with a bounded, self-stopping load
 * (scenarios {@code steady}, {@code priority}, {@code fairness}) and reports throughput, latency per
 * priority and per tenant, worker busy fraction and pipeline overhead. {@link
 * dev.tessera.infra.bench.LoadStats} and {@link dev.tessera.infra.bench.LoadReport} are pure; the
 * HTTP and the threads are in {@link dev.tessera.infra.bench.LoadClient}, {@link
 * dev.tessera.infra.bench.CompletionPoller} and {@link dev.tessera.infra.bench.LoadRun}.
 */
package dev.tessera.infra.bench;
