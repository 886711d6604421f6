package dev.tessera.infra.bench.chaos;

/** A tenant of the run: its name, id and API key. */
record Tenant(String name, String id, String apiKey) {}
