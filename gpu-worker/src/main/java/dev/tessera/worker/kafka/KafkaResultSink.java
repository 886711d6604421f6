package dev.tessera.worker.kafka;

import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.engine.ResultSink;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the decode loop's events to {@link Topics#RESULTS} (key: request id) without blocking the
 * loop. A send that fails (Kafka down longer than the producer's own retries) is sent again with
 * backoff until it is delivered or the worker stops: the result of decoded work is not dropped. If
 * the worker dies first, the scheduler re-queues the request and it is decoded again.
 */
@Component
final class KafkaResultSink implements ResultSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaResultSink.class);
  private static final long FIRST_RETRY_MS = 500;
  private static final long MAX_RETRY_MS = 30_000;

  private final KafkaTemplate<String, byte[]> template;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tessera-result-resend");
    t.setDaemon(true);
    return t;
  });

  KafkaResultSink(WorkerProducer producer) {
    this.template = producer.template();
  }

  @Override
  public void publish(GenerationResult result) {
    send(result.requestId(), Json.toBytes(result), FIRST_RETRY_MS);
  }

  private void send(String key, byte[] value, long retryMs) {
    template.send(Topics.RESULTS, key, value).whenComplete((ok, error) -> {
      if (error != null && !retries.isShutdown()) {
        log.warn("result for {} not delivered ({}); sending again in {} ms", key, error.toString(),
            retryMs);
        retries.schedule(() -> send(key, value, Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs,
            TimeUnit.MILLISECONDS);
      }
    });
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
