package dev.tessera.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import redis.embedded.RedisServer;

/**
 * Kafka (KRaft, in this JVM), PostgreSQL 17 (zonky; a child process, run through {@code unshare}
 * when root) and Redis (a child process) on free loopback ports, for {@code ./tessera serve} and the
 * tests. PostgreSQL keeps its data under the given directory, so a restart keeps tenants, keys and
 * generations; Kafka and Redis start empty (PostgreSQL is the source of truth, the scheduler rebuilds
 * its queue from it and the result cache refills itself). {@link #close} stops all three.
 */
public final class EmbeddedServers implements AutoCloseable {

  /** The database Tessera uses inside the embedded PostgreSQL. */
  public static final String DATABASE = "tessera";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

  private final EmbeddedKafkaKraftBroker kafka;
  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final int redisPort;
  private boolean closed;

  private EmbeddedServers(EmbeddedKafkaKraftBroker kafka, EmbeddedPostgres postgres,
      RedisServer redis, int redisPort) {
    this.kafka = kafka;
    this.postgres = postgres;
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
    CompletableFuture<EmbeddedKafkaKraftBroker> kafka =
        CompletableFuture.supplyAsync(EmbeddedServers::startKafka);
    EmbeddedPostgres postgres = null;
    RedisServer redis = null;
    try {
      int redisPort = FreePorts.next();
      Files.createDirectories(home);
      redis = startRedis(redisPort, home.resolve("redis.pid"));
      postgres = startPostgres(home.resolve("postgres"), ephemeral);
      EmbeddedServers servers = new EmbeddedServers(kafka.join(), postgres, redis, redisPort);
      log.info("embedded servers up in {} ms: kafka {}, postgresql :{}, redis :{}",
          (System.nanoTime() - t0) / 1_000_000, servers.kafkaBootstrap(), postgres.getPort(),
          redisPort);
      return servers;
    } catch (RuntimeException | IOException e) {
      kafka.thenAccept(EmbeddedKafkaKraftBroker::destroy);
      closeQuietly(postgres, redis);
      if (e instanceof CompletionException ce && ce.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
    }
  }

  private static EmbeddedKafkaKraftBroker startKafka() {
    int port = FreePorts.next();
    int controller = FreePorts.next();
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperty("listeners",
        "EXTERNAL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    broker.brokerProperty("auto.create.topics.enable", "false");
    broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
    broker.brokerProperty("offsets.topic.num.partitions", "5");
    broker.afterPropertiesSet();
    // the test kit publishes the broker as system properties, which outrank the properties every
    // service is given explicitly: with two brokers in one JVM (a test that starts a cluster of its
    // own) the last one would win everywhere, and stay after it stopped
    System.clearProperty("spring.kafka.bootstrap-servers");
    System.clearProperty("spring.embedded.kafka.brokers");
    return broker;
  }

  private static RedisServer startRedis(int port, Path pidFile) throws IOException {
    if (Files.exists(pidFile)) {
      livePid(pidFile, "redis-server").ifPresent(orphan -> stopOrphan(orphan, pidFile));
      Files.deleteIfExists(pidFile);
    }
    RedisServer redis = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("pidfile " + pidFile.toAbsolutePath())
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("maxmemory 256mb")
        .setting("maxmemory-policy allkeys-lru")
        .build();
    redis.start();
    return redis;
  }

  private static EmbeddedPostgres startPostgres(Path dir, boolean clean) throws IOException {
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
        .setCleanDataDirectory(clean)
        .setPort(FreePorts.next())
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
    return kafka.getBrokersAsString();
  }

  /** JDBC URL of the Tessera database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
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
      kafka.destroy();
    } catch (RuntimeException e) {
      log.warn("stopping kafka: {}", e.toString());
    }
    closeQuietly(postgres, redis);
    log.info("embedded servers stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * The test kit deletes the broker's temporary log directory while the broker is still stopping,
   * which makes Kafka log pages of harmless errors; nothing after this point is worth reading.
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
