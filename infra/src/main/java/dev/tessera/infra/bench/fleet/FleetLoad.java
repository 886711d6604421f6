package dev.tessera.infra.bench.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients that keep submitting generations to the gateways (round robin), each POST
 * as soon as the last one answered, for a while; counts the answers per gateway and status, and
 * the accepted ones inside the measured window.
 */
final class FleetLoad {

  private final List<String> gateways;
  private final String apiKey;
  private final int clients;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final List<AtomicLong> acceptedInWindow = new ArrayList<>();
  private final AtomicLong submitted = new AtomicLong();

  FleetLoad(List<String> gateways, String apiKey, int clients) {
    this.gateways = gateways;
    this.apiKey = apiKey;
    this.clients = clients;
    gateways.forEach(g -> acceptedInWindow.add(new AtomicLong()));
  }

  /**
   * Runs the clients until {@code endNanos}; POSTs answered with 202 between {@code windowStart}
   * and the end count as accepted in the window.
   */
  void run(long windowStartNanos, long endNanos) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> loop(client, windowStartNanos, endNanos), "fleet-client-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void loop(int client, long windowStart, long end) {
    long i = client;
    while (System.nanoTime() < end) {
      int g = (int) (i % gateways.size());
      String body = "{\"model\":\"" + SimulatedFleet.MODEL + "\",\"class_label\":" + (i % 10)
          + ",\"seed\":" + i + "}";
      String status;
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                URI.create(gateways.get(g) + "/v1/generations"))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        status = Integer.toString(r.statusCode());
        if (r.statusCode() == 202 && System.nanoTime() >= windowStart) {
          acceptedInWindow.get(g).incrementAndGet();
        }
      } catch (java.io.IOException e) {
        status = "error";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      submitted.incrementAndGet();
      statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
      i += clients;
    }
  }

  /** Answers per HTTP status ({@code error}: no answer). */
  Map<String, Long> statuses() {
    Map<String, Long> m = new TreeMap<>();
    statuses.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** 202s inside the window, per gateway (in the order given). */
  List<Long> acceptedInWindow() {
    return acceptedInWindow.stream().map(AtomicLong::get).toList();
  }

  long submitted() {
    return submitted.get();
  }
}
