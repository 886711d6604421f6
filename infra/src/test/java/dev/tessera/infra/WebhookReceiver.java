package dev.tessera.infra;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on loopback for tests: records every request (path, headers, body, when)
 * and answers each path with the statuses queued for it, then 200.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request received. */
  record Received(String path, Map<String, String> headers, String body, long receivedNanos) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Integer>> statuses = new ConcurrentHashMap<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, headers,
            new String(in.readAllBytes(), StandardCharsets.UTF_8), System.nanoTime()));
        Deque<Integer> queued = statuses.get(path);
        Integer status = queued == null ? null : queued.poll();
        exchange.sendResponseHeaders(status == null ? 200 : status, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** The URL of a path on this receiver. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next requests to {@code path} get these statuses, in order; later ones 200. */
  void answer(String path, Integer... codes) {
    statuses.put(path, new ArrayDeque<>(List.of(codes)));
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
