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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera bench submit}: the gateway's submission path under load, over loopback. A bounded,
 * self-stopping loop of POST /v1/generations from C concurrent clients against a running system;
 * prints throughput, p50/p95/p99 submit latency and the status codes seen (202, 429 ...).
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The gateway's submission path under load.",
        "The gateway's submission path under load: POST /v1/generations from C"
        + " concurrent clients against a running system; prints throughput, p50/p95/p99 submit"
        + " latency and the status codes seen."})
final class BenchSubmitCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "API_KEY",
      description = "an API key (./tessera serve prints 'API key:')")
  String key;

  @Option(names = "--url", description = "the running system")
  String url = "http://localhost:8080";

  @Option(names = "--requests", description = "submissions in all (1..1000000)")
  int requests = 2000;

  @Option(names = "--concurrency", description = "concurrent clients (1..256)")
  int concurrency = 8;

  @Option(names = "--max-seconds", description = "stop after this long (1..3600)")
  int maxSeconds = 60;

  @Option(names = "--model", description = "the model named in the requests")
  String model = "fm-ar";

  @Option(names = "--json", description = "the last line of output is one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Ranges.check(spec, "--requests", requests, 1, 1_000_000);
    Ranges.check(spec, "--concurrency", concurrency, 1, 256);
    Ranges.check(spec, "--max-seconds", maxSeconds, 1, 3600);
    URI uri = URI.create(url + "/v1/generations");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
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
    if (json) {
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
