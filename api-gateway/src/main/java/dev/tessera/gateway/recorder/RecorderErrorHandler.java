package dev.tessera.gateway.recorder;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.GatewayConfiguration;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.metrics.GatewayMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What happens when a result cannot be recorded. Undecodable messages and constraint violations are
 * dead-lettered at once (the same bytes fail the same way); anything else (PostgreSQL down) is
 * retried with exponential backoff for {@code tessera.gateway.recorder-max-retry}, then dead-lettered.
 * A dead letter is a row in {@code dead_letters}, with the raw payload kept for replay.
 */
@Component(GatewayConfiguration.RESULT_ERROR_HANDLER)
public class RecorderErrorHandler extends DefaultErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(RecorderErrorHandler.class);

  RecorderErrorHandler(LedgerRepository ledger, GatewayProperties properties, Clock clock,
      GatewayMetrics metrics) {
    super((record, e) -> deadLetter(ledger, clock, metrics, record, e), backOff(properties));
    addNotRetryableExceptions(ContractException.class, DataIntegrityViolationException.class);
  }

  private static ExponentialBackOff backOff(GatewayProperties properties) {
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(30_000);
    backOff.setMaxElapsedTime(properties.recorderMaxRetry().toMillis());
    return backOff;
  }

  private static void deadLetter(LedgerRepository ledger, Clock clock, GatewayMetrics metrics,
      ConsumerRecord<?, ?> record, Exception e) {
    String key = record.key() == null ? null : record.key().toString();
    byte[] payload = record.value() instanceof byte[] bytes ? bytes
        : record.value() == null ? null : record.value().toString().getBytes(StandardCharsets.UTF_8);
    UUID requestId = Topics.RESULTS.equals(record.topic()) ? uuidOrNull(key) : null;
    log.error("dead-lettering {}-{}@{} (key {}): {}", record.topic(), record.partition(),
        record.offset(), key, rootMessage(e));
    ledger.insertDeadLetter(requestId, record.topic(), record.partition(), record.offset(), key,
        payload, rootMessage(e), clock.instant());
    metrics.deadLettered();
  }

  private static UUID uuidOrNull(String key) {
    try {
      return key == null ? null : UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
