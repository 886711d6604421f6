package dev.tessera.infra.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service instance running as an OS process: its name ({@code worker-2}), instance id, HTTP
 * port (health, metrics; the API for a gateway) and log file. Stopped with SIGTERM ({@link #stop}:
 * the service shuts down gracefully, a worker drains) or SIGKILL ({@link #kill}), or frozen with
 * SIGSTOP and thawed with SIGCONT ({@link #freeze}, {@link #thaw}).
 */
public final class ServiceProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final ServiceKind kind;
  private final String name;
  private final String instanceId;
  private final int port;
  private final Path log;
  private final Process process;

  ServiceProcess(ServiceKind kind, String name, String instanceId, int port, Path log,
      Process process) {
    this.kind = kind;
    this.name = name;
    this.instanceId = instanceId;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  public ServiceKind kind() {
    return kind;
  }

  /** {@code gateway-1}, {@code scheduler-2}, {@code worker-3}. */
  public String name() {
    return name;
  }

  /** The id the service signs its work with (worker id, scheduler id; the name for a gateway). */
  public String instanceId() {
    return instanceId;
  }

  public int port() {
    return port;
  }

  /** {@code http://localhost:PORT}. */
  public String url() {
    return "http://localhost:" + port;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the service says it is ready ({@code /actuator/health/readiness} answers 200). */
  public boolean isReady() {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the service is ready; throws, with the end of its log, if it exits or the timeout
   * passes first.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + " before it was ready; the end of " + log + ":\n" + tail(40));
      }
      if (isReady()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(name + " was not ready in " + timeout + "; the end of " + log
        + ":\n" + tail(40));
  }

  /**
   * SIGTERM, then waits up to {@code grace} for the process to end, then SIGKILL. Returns whether
   * it ended by itself.
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
    return false;
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGSTOP: the process stays, holding its sockets and locks, but runs nothing (a long GC pause, a
   * VM stall), until {@link #thaw}. Its peers see it go silent.
   */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs again, unaware that time passed. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes()).trim());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot signal " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }

  /** The last {@code lines} lines of the log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", port " + port + ")";
  }
}
