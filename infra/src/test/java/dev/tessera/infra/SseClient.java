package dev.tessera.infra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A test client of a server-sent events stream, as an EventSource reads it: events (id, event
 * name, data) and comment lines, in the order they arrive, read on a thread of its own.
 */
final class SseClient implements AutoCloseable {

  /** One event; {@code data} is its data lines joined by newlines. */
  record Event(String id, String name, String data) {}

  /** What the stream delivered: an event, a comment, or its end. */
  private record Item(Event event, String comment, boolean end) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final StringBuffer raw = new StringBuffer();
  private volatile boolean ended;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects; returns once the response's status and headers are in. */
  static SseClient open(String url, String key, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET()
        .header("Accept", "text/event-stream");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    return new SseClient(HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
        .get(30, TimeUnit.SECONDS));
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event, skipping comments; null if none came within the timeout or the stream ended. */
  Event next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Item item = items.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (item == null) {
        return null;
      }
      if (item.end()) {
        items.add(item); // stays ended
        return null;
      }
      if (item.event() != null) {
        return item.event();
      }
    }
  }

  /** Every event until the stream ends; fails if it has not ended within the timeout. */
  List<Event> untilEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> events = new ArrayList<>();
    while (true) {
      Item item = items.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (item == null) {
        throw new AssertionError("the stream did not end within " + timeout + "; events so far "
            + events);
      }
      if (item.end()) {
        items.add(item);
        return events;
      }
      if (item.event() != null) {
        events.add(item.event());
      }
    }
  }

  /** The whole body as received, once it has ended (for error responses). */
  String body(Duration timeout) throws InterruptedException {
    untilEnd(timeout);
    return raw.toString();
  }

  /** Comment lines (keep-alives) received so far. */
  int comments() {
    return comments.get();
  }

  boolean ended() {
    return ended;
  }

  private void read() {
    String id = null;
    String name = null;
    StringBuilder data = null;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        raw.append(line).append('\n');
        if (line.isEmpty()) {
          if (data != null || name != null) {
            items.add(new Item(new Event(id, name == null ? "message" : name,
                data == null ? "" : data.toString()), null, false));
          }
          name = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
          items.add(new Item(null, line.substring(1).trim(), false));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> id = value;
            case "event" -> name = value;
            case "data" -> data = data == null ? new StringBuilder(value)
                : data.append('\n').append(value);
            default -> { } // retry and unknown fields
          }
        }
      }
    } catch (RuntimeException e) {
      // the connection was closed under us
    } finally {
      ended = true;
      items.add(new Item(null, null, true));
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (RuntimeException e) {
      // closed already
    }
  }
}
