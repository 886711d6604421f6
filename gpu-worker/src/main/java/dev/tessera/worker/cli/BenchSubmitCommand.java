package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./tessera bench submit}: the gateway's submission path under load, over loopback. A bounded,
 * self-stopping loop of POST /v1/generations from C concurrent clients against a running system;
 * prints throughput, p50/p95/p99 submit latency and the status codes seen (202, 429 ...).
 */
final class BenchSubmitCommand {

  static final String USAGE = """
      usage: ./tessera bench submit --key API_KEY [--url http://localhost:8080] [--requests 2000]
                 [--concurrency 8] [--max-seconds 60] [--model fm-ar] [--json]""";

  private BenchSubmitCommand() {}

  static int run(String[] args) throws Exception {
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, Set.of("key", "url", "requests", "concurrency", "max-seconds",
          "model"), Set.of("json"));
      if (!f.has("key")) {
        throw new UsageException("--key is required (./tessera serve prints 'API key:')");
      }
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    URI uri = URI.create(f.string("url", "http://localhost:8080") + "/v1/generations");
    String key = f.string("key", "");
    String model = f.string("model", "fm-ar");
    int requests = f.integer("requests", 2000, 1, 1_000_000);
    int concurrency = f.integer("concurrency", 8, 1, 256);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
        f.integer("max-seconds", 60, 1, 3600));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long[] latencyNanos = new long[requests];
    int[] status = new int[requests];
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int c = 0; c < concurrency; c++) {
      pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
          String body = "{\"model\":\"" + model + "\",\"class_label\":" + (i % 10) + ",\"seed\":" + i
              + "}";
          HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build();
          long t0 = System.nanoTime();
          try {
            status[i] = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (Exception e) {
            status[i] = -1;
          }
          latencyNanos[i] = System.nanoTime() - t0;
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    double seconds = (System.nanoTime() - started) / 1e9;
    int sent = Math.min(next.get(), requests);
    Map<Integer, Integer> codes = new TreeMap<>();
    long[] lat = new long[sent];
    int n = 0;
    for (int i = 0; i < sent; i++) {
      if (latencyNanos[i] > 0) {
        codes.merge(status[i], 1, Integer::sum);
        lat[n++] = latencyNanos[i];
      }
    }
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    double p50 = percentile(sorted, 0.50);
    double p95 = percentile(sorted, 0.95);
    double p99 = percentile(sorted, 0.99);
    System.out.printf("%d submissions in %.1f s from %d clients: %.1f req/s; submit latency p50 %.1f ms,"
        + " p95 %.1f ms, p99 %.1f ms; status codes %s%n", n, seconds, concurrency, n / seconds, p50,
        p95, p99, codes);
    if (f.has("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("submissions", n);
      json.put("seconds", seconds);
      json.put("requests_per_s", n / seconds);
      json.put("p50_ms", p50);
      json.put("p95_ms", p95);
      json.put("p99_ms", p99);
      json.put("status_codes", codes);
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }

  static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, idx)] / 1e6;
  }
}
