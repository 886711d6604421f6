package dev.tessera.infra.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The run's tenants, created through the admin API: the load's (every limit set, so that each
 * submission goes through Redis; generous enough not to refuse the load) and the probe's (none).
 */
final class Tenants {

  private final List<Tenant> load;
  private final Tenant probe;

  private Tenants(List<Tenant> load, Tenant probe) {
    this.load = List.copyOf(load);
    this.probe = probe;
  }

  static Tenants create(CarefulClient client, String adminToken, int n) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Tenant> load = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      load.add(create(client, adminToken, "chaos-" + run + "-" + i,
          "\"rate_per_s\":50,\"max_in_flight\":500,\"monthly_images\":1000000,"));
    }
    return new Tenants(load, create(client, adminToken, "chaos-" + run + "-probe", ""));
  }

  private static Tenant create(CarefulClient client, String adminToken, String name,
      String limits) {
    String gateway = client.gateway(0);
    CarefulClient.Answer tenant = client.post(gateway, adminToken, "/admin/tenants",
        "{" + limits + "\"name\":\"" + name + "\",\"weight\":1.0}");
    if (tenant.status() != 201) {
      throw new IllegalStateException("POST /admin/tenants answered " + tenant.status() + ": "
          + tenant.body());
    }
    String id = tenant.body().path("id").asText();
    CarefulClient.Answer key = client.post(gateway, adminToken, "/admin/tenants/" + id + "/keys",
        "{}");
    if (key.status() != 201) {
      throw new IllegalStateException("POST /admin/tenants/" + id + "/keys answered "
          + key.status() + ": " + key.body());
    }
    return new Tenant(name, id, key.body().path("key").asText());
  }

  List<Tenant> load() {
    return load;
  }

  Tenant probe() {
    return probe;
  }

  List<Tenant> all() {
    List<Tenant> all = new ArrayList<>(load);
    all.add(probe);
    return all;
  }

  /** Every tenant's id → name. */
  Map<String, String> idsToNames() {
    Map<String, String> m = new LinkedHashMap<>();
    all().forEach(t -> m.put(t.id(), t.name()));
    return m;
  }

  /** A tenant's billable images since {@code from}, as {@code GET /v1/usage} reports them. */
  long usageImages(CarefulClient client, Tenant tenant, Instant from) {
    CarefulClient.Answer a = client.get(client.gateway(0), tenant.apiKey(),
        "/v1/usage?bucket=1d&start=" + from.getEpochSecond());
    if (a.status() != 200 || a.body() == null) {
      throw new IllegalStateException("GET /v1/usage for " + tenant.name() + " answered "
          + a.status() + ": " + a.body());
    }
    long images = 0;
    for (JsonNode bucket : a.body().path("data")) {
      for (JsonNode result : bucket.path("results")) {
        images += result.path("images").asLong();
      }
    }
    return images;
  }
}
