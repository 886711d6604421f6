package dev.tessera.gateway.generation;

import dev.tessera.contract.Cancellation;
import dev.tessera.contract.DeadLetter;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.problem.ServiceUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes accepted requests to {@link Topics#REQUESTS} (key: model), and the gateway's other
 * messages (cancellations, dead letters), without holding the request thread: a send is handed to
 * the producer (which blocks at most {@link #MAX_BLOCK_MS} for metadata or buffer room) and its
 * acknowledgement arrives later. A failed publish of a request leaves the row QUEUED in PostgreSQL,
 * where the scheduler's sweep finds it; it also opens a breaker: until a probe (in the background)
 * reaches Kafka again, new requests are refused at once with 503 instead of piling up unannounced.
 */
@Component
public class RequestPublisher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

  /** Longest a send may block the calling thread (metadata unknown, buffer full). */
  static final int MAX_BLOCK_MS = 500;

  private final DefaultKafkaProducerFactory<String, byte[]> producers;
  private final KafkaTemplate<String, byte[]> template;
  private final Map<String, Object> adminConfig;
  private final Duration timeout;
  private final Duration probeInterval;
  private final Clock clock;
  private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tessera-kafka-probe");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean available = true;
  private Instant lastProbe = Instant.MIN;
  private boolean probing;

  RequestPublisher(KafkaProperties kafka, GatewayProperties properties, Clock clock) {
    this.timeout = properties.publishTimeout();
    this.probeInterval = properties.kafkaProbeInterval();
    this.clock = clock;
    Map<String, Object> config = kafka.buildProducerProperties(null);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    int ms = (int) timeout.toMillis();
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(ms, MAX_BLOCK_MS));
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, ms / 2));
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
    this.producers = new DefaultKafkaProducerFactory<>(config);
    this.template = new KafkaTemplate<>(producers);
    Map<String, Object> admin = kafka.buildAdminProperties(null);
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    this.adminConfig = admin;
  }

  /**
   * Refuses new work (503) at once while Kafka is known to be unreachable; meanwhile a probe runs in
   * the background every {@code kafka-probe-interval} and closes the breaker when Kafka answers.
   */
  public void ensureAvailable() {
    if (available) {
      return;
    }
    synchronized (this) {
      Instant now = clock.instant();
      if (!available && !probing && now.isAfter(lastProbe.plus(probeInterval))) {
        lastProbe = now;
        probing = true;
        probes.execute(this::probeInBackground);
      }
    }
    throw new ServiceUnavailableException("kafka", "the request queue is unavailable; retry later",
        null);
  }

  private void probeInBackground() {
    boolean reachable = probe();
    synchronized (this) {
      probing = false;
      lastProbe = clock.instant();
      if (reachable) {
        available = true;
      }
    }
  }

  /**
   * Publishes a cancellation notice, best effort: it does not wait, and a failure is only logged
   * (PostgreSQL holds the CANCELLED state; a queued request is never claimed again, and a running
   * one's late result is ignored). False if the producer refused it outright.
   */
  public boolean publish(Cancellation cancellation) {
    try {
      template.send(Topics.CANCELLATIONS, cancellation.requestId(), Json.toBytes(cancellation))
          .whenComplete((sent, e) -> {
            if (e != null) {
              log.warn("could not publish the cancellation of {}: {}", cancellation.requestId(),
                  e.toString());
            }
          });
      return true;
    } catch (RuntimeException e) {
      log.warn("could not publish the cancellation of {}: {}", cancellation.requestId(),
          e.toString());
      return false;
    }
  }

  /**
   * Publishes a dead letter on {@link Topics#DEAD_LETTERS} (key: the model), best effort: it does
   * not wait, and a failure is only logged (PostgreSQL holds the dead letter).
   */
  public void publish(DeadLetter deadLetter) {
    try {
      template.send(Topics.DEAD_LETTERS, deadLetter.request().model(), Json.toBytes(deadLetter))
          .whenComplete((sent, e) -> {
            if (e != null) {
              log.warn("could not publish dead letter {} of {}: {}", deadLetter.id(),
                  deadLetter.request().id(), e.toString());
            }
          });
    } catch (RuntimeException e) {
      log.warn("could not publish dead letter {} of {}: {}", deadLetter.id(),
          deadLetter.request().id(), e.toString());
    }
  }

  /** Publishes one request; see {@link #publish(List)}. */
  public boolean publish(GenerationRequest request) {
    return publish(List.of(request));
  }

  /**
   * Hands requests to the producer without waiting for Kafka's acknowledgement. False if the
   * producer refused them at once (Kafka unknown for {@link #MAX_BLOCK_MS}); a send that fails
   * later is logged. Either way the breaker opens, and the rows stay QUEUED in PostgreSQL for the
   * scheduler's sweep.
   */
  public boolean publish(List<GenerationRequest> requests) {
    try {
      for (GenerationRequest request : requests) {
        template.send(Topics.REQUESTS, request.model(), Json.toBytes(request))
            .whenComplete((sent, e) -> {
              if (e == null) {
                available = true;
              } else {
                failed(List.of(request), e);
              }
            });
      }
      return true;
    } catch (RuntimeException e) {
      failed(requests, e);
      return false;
    }
  }

  private void failed(List<GenerationRequest> requests, Throwable e) {
    synchronized (this) {
      available = false;
      lastProbe = clock.instant();
    }
    log.warn("could not publish request {}{}; it stays QUEUED in PostgreSQL for the scheduler's "
        + "sweep: {}", requests.get(0).id(),
        requests.size() > 1 ? " (or another of its " + requests.size() + ")" : "", e.toString());
  }

  private boolean probe() {
    try (AdminClient admin = AdminClient.create(adminConfig)) {
      admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
      log.info("Kafka is reachable again");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void destroy() {
    probes.shutdownNow();
    producers.destroy();
  }
}
