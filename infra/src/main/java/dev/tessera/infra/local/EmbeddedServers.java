package dev.tessera.infra.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Kafka (KRaft, in this JVM), PostgreSQL 17 (zonky; a child process, run through {@code unshare}
 * when root) and Redis (a child process) on free loopback ports, for {@code ./tessera serve} and the
 * tests. PostgreSQL keeps its data under the given directory, so a restart of {@code serve} keeps
 * tenants, keys and generations; Kafka and Redis start empty (PostgreSQL is the source of truth,
 * the scheduler rebuilds its queue from it and the result cache refills itself). {@link #close}
 * stops all three.
 *
 * <p>Outages: {@link #stop(Server)} takes one server away and {@link #start(Server)} brings it
 * back on the same port with its data (Kafka's log directory, PostgreSQL's data directory, Redis's
 * keys saved to a snapshot on the way down), so that tests and the chaos benchmark can see what the
 * services do meanwhile and after.
 */
public final class EmbeddedServers implements AutoCloseable {

  /** The database Tessera uses inside the embedded PostgreSQL. */
  public static final String DATABASE = "tessera";

  /** A server that can be stopped and started again. */
  public enum Server { KAFKA, POSTGRESQL, REDIS }

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
  private static final String REDIS_SNAPSHOT = "redis.rdb";

  private final KafkaBroker kafka;
  private final Path postgresDir;
  private final int postgresPort;
  private final boolean ephemeral;
  private final RedisServer redis;
  private final int redisPort;
  private EmbeddedPostgres postgres;
  private boolean redisRunning = true;
  private boolean closed;

  private EmbeddedServers(KafkaBroker kafka, EmbeddedPostgres postgres, Path postgresDir,
      boolean ephemeral, RedisServer redis, int redisPort) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.postgresDir = postgresDir;
    this.postgresPort = postgres.getPort();
    this.ephemeral = ephemeral;
    this.redis = redis;
    this.redisPort = redisPort;
  }

  /**
   * Starts the three servers, Kafka in parallel with PostgreSQL and Redis.
   *
   * @param home state directory: PostgreSQL data in {@code postgres/} (created and initialised if
   *     empty), Redis's pid file; servers a killed run left behind there are stopped first
   * @param ephemeral delete the PostgreSQL data when closing (tests)
   */
  public static EmbeddedServers start(Path home, boolean ephemeral) {
    long t0 = System.nanoTime();
    Path kafkaDir = home.resolve("kafka");
    CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> {
      deleteTree(kafkaDir); // Kafka starts empty: a new cluster each run
      return KafkaBroker.startNew(kafkaDir);
    });
    EmbeddedPostgres postgres = null;
    RedisServer redis = null;
    try {
      int redisPort = FreePorts.next();
      Files.createDirectories(home);
      redis = startRedis(redisPort, home);
      Path postgresDir = home.resolve("postgres");
      if (ephemeral) {
        deleteTree(postgresDir);
      }
      postgres = startPostgres(postgresDir, FreePorts.next());
      EmbeddedServers servers = new EmbeddedServers(kafka.join(), postgres, postgresDir, ephemeral,
          redis, redisPort);
      log.info("embedded servers up in {} ms: kafka {}, postgresql :{}, redis :{}",
          (System.nanoTime() - t0) / 1_000_000, servers.kafkaBootstrap(), postgres.getPort(),
          redisPort);
      return servers;
    } catch (RuntimeException | IOException e) {
      kafka.thenAccept(KafkaBroker::stop);
      closeQuietly(postgres, redis);
      if (e instanceof CompletionException ce && ce.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
    }
  }

  /**
   * Takes a server away: Kafka shuts down, PostgreSQL stops (fast mode: sessions are cut), Redis
   * saves its keys to a snapshot and exits. No-op if it is already stopped.
   */
  public synchronized void stop(Server server) {
    long t0 = System.nanoTime();
    switch (server) {
      case KAFKA -> kafka.stop();
      case POSTGRESQL -> {
        if (postgres != null) {
          closeQuietly(postgres, null);
          postgres = null;
        }
      }
      case REDIS -> {
        if (redisRunning) {
          saveRedis();
          closeQuietly(null, redis);
          redisRunning = false;
        }
      }
    }
    log.info("{} stopped in {} ms", server, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Starts a stopped server again on its port, with its data. No-op if it is running. */
  public synchronized void start(Server server) {
    long t0 = System.nanoTime();
    try {
      switch (server) {
        case KAFKA -> kafka.start();
        case POSTGRESQL -> {
          if (postgres == null) {
            postgres = startPostgres(postgresDir, postgresPort);
          }
        }
        case REDIS -> {
          if (!redisRunning) {
            redis.start();
            redisRunning = true;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info("{} started again in {} ms", server, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Whether a server is running. */
  public synchronized boolean running(Server server) {
    return switch (server) {
      case KAFKA -> kafka.running();
      case POSTGRESQL -> postgres != null;
      case REDIS -> redisRunning;
    };
  }

  /** Asks Redis to write its keys to the snapshot it loads when it starts again. */
  private void saveRedis() {
    try (Socket socket = new Socket("127.0.0.1", redisPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[64];
      int n = in.read(reply);
      String answer = n <= 0 ? "" : new String(reply, 0, n, StandardCharsets.US_ASCII);
      if (!answer.startsWith("+OK")) {
        log.warn("redis SAVE answered '{}'; its keys may not survive the restart", answer.trim());
      }
    } catch (IOException e) {
      log.warn("redis SAVE failed ({}); its keys will not survive the restart", e.toString());
    }
  }

  private static RedisServer startRedis(int port, Path home) throws IOException {
    Path pidFile = home.resolve("redis.pid");
    if (Files.exists(pidFile)) {
      livePid(pidFile, "redis-server").ifPresent(orphan -> stopOrphan(orphan, pidFile));
      Files.deleteIfExists(pidFile);
    }
    Files.deleteIfExists(home.resolve(REDIS_SNAPSHOT)); // Redis starts empty
    RedisServer redis = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("pidfile " + pidFile.toAbsolutePath())
        .setting("dir " + home.toAbsolutePath())
        .setting("dbfilename " + REDIS_SNAPSHOT)
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("maxmemory 256mb")
        .setting("maxmemory-policy allkeys-lru")
        .build();
    redis.start();
    return redis;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static EmbeddedPostgres startPostgres(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    // a run that was killed (SIGKILL) leaves its postmaster.pid, and possibly its postgres running
    Path pid = dir.resolve("postmaster.pid");
    if (Files.exists(pid)) {
      livePid(pid, "/postgres").ifPresent(orphan -> stopOrphan(orphan, pid));
      if (Files.exists(pid)) {
        log.warn("removing stale {}", pid);
        Files.delete(pid);
      }
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false) // kept across stop and start; close() deletes it if ephemeral
        .setPort(port)
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "50")
        .start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
      }
    } catch (java.sql.SQLException e) {
      pg.close();
      throw new IOException("cannot create database " + DATABASE, e);
    }
    return pg;
  }

  /** The live process named in a pid file, if its command contains {@code commandPart}. */
  private static java.util.Optional<ProcessHandle> livePid(Path pidFile, String commandPart) {
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.contains(commandPart)).orElse(false));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Stops a server a killed run left behind (its pid file is ours). */
  private static void stopOrphan(ProcessHandle orphan, Path pidFile) {
    log.warn("stopping {} (pid {}) left running by a previous run ({})",
        orphan.info().command().orElse("process"), orphan.pid(), pidFile);
    orphan.destroy(); // SIGTERM: postgres and redis shut down cleanly; they have no clients left
    try {
      orphan.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      orphan.destroyForcibly();
    }
  }

  /** Kafka's bootstrap servers. */
  public String kafkaBootstrap() {
    return kafka.bootstrap();
  }

  /** JDBC URL of the Tessera database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + DATABASE;
  }

  /** Redis URL. */
  public String redisAddress() {
    return "redis://127.0.0.1:" + redisPort;
  }

  /** The Spring properties that point every service at these servers. */
  public Map<String, Object> springProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.kafka.bootstrap-servers", kafkaBootstrap());
    p.put("spring.datasource.url", jdbcUrl());
    p.put("spring.datasource.username", "postgres");
    p.put("spring.datasource.password", "");
    p.put("tessera.redis.address", redisAddress());
    return p;
  }

  /** Stops Kafka, Redis and PostgreSQL; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    quietKafkaShutdown();
    try {
      kafka.stop();
    } catch (RuntimeException e) {
      log.warn("stopping kafka: {}", e.toString());
    }
    closeQuietly(postgres, redisRunning ? redis : null);
    if (ephemeral) {
      try {
        deleteTree(postgresDir);
      } catch (UncheckedIOException e) {
        log.warn("{}", e.getMessage());
      }
    }
    log.info("embedded servers stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * A broker that stops while its clients are still connected makes Kafka log pages of harmless
   * errors; nothing after this point is worth reading.
   */
  private static void quietKafkaShutdown() {
    for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.OFF);
      }
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres, RedisServer redis) {
    if (redis != null) {
      try {
        redis.stop();
      } catch (IOException | RuntimeException e) {
        log.warn("stopping redis: {}", e.toString());
      }
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException e) {
        log.warn("stopping postgresql: {}", e.toString());
      }
    }
  }
}
