package dev.tessera.infra.local;

import dev.tessera.infra.local.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One Kafka node in KRaft combined mode (broker and controller), in this JVM, on fixed loopback
 * ports with its log directory on disk: it can be stopped and started again on the same ports with
 * its topics, messages and committed offsets, as a real broker restarts.
 */
final class KafkaBroker {

  private static final String CONTROLLER = "CONTROLLER";

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  private KafkaBroker(Path logDir, int port, int controllerPort) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats an empty log directory (a new cluster) and starts the broker on free ports. */
  static KafkaBroker startNew(Path logDir) {
    KafkaBroker broker = new KafkaBroker(logDir, FreePorts.next(), FreePorts.next());
    broker.format();
    broker.start();
    return broker;
  }

  /** Starts the broker on its ports with what its log directory holds; no-op if running. */
  synchronized void start() {
    if (server != null) {
      return;
    }
    KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config(), false),
        Time.SYSTEM);
    started.startup();
    server = started;
  }

  /** Stops the broker (controlled shutdown; the log directory stays); no-op if stopped. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  synchronized boolean running() {
    return server != null;
  }

  /** The bootstrap servers. */
  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  private void format() {
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setControllerListenerName(CONTROLLER)
          .setMetadataLogDirectory(logDir.toString())
          .setDirectories(List.of(logDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir, e);
    }
  }

  private Properties config() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:"
        + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("offsets.topic.num.partitions", "5");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("num.partitions", "1");
    return p;
  }
}
