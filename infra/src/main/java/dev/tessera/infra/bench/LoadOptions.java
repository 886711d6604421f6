package dev.tessera.infra.bench;

import java.util.List;

/**
 * Options of {@code ./tessera bench load}, as checked by {@link BenchLoadCommand}.
 *
 * @param url a running system's URL, or null to start the embedded system in this JVM
 * @param adminToken the running system's admin token (creates the tenants), or null
 * @param apiKey a running system's API key for the single-tenant scenarios, or null
 * @param seconds length of the loaded phase
 * @param rampSeconds start of the loaded phase left out of the measurement
 * @param drainSeconds after the loaded phase, how long to wait for unfinished requests before
 *     cancelling them; 0 for a default from the loaded phase's rate ({@code LoadRun.autoDrain})
 * @param unloaded sequential requests of the unloaded phase
 * @param concurrency outstanding requests of the flooding class; 0 for twice the worker's slots
 * @param springArgs {@code --name=value} properties for the embedded system
 */
record LoadOptions(Scenario scenario, String url, String adminToken, String apiKey, int seconds,
    double rampSeconds, int drainSeconds, int unloaded, int concurrency, String model,
    String strategy, long seed, boolean json, List<String> springArgs) {}
