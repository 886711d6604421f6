package dev.tessera.gateway.recorder;

import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.GatewayConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#RESULTS} in the group {@code tessera-recorder}; the offset of a result is
 * committed only after it is recorded. Failures go to {@link RecorderErrorHandler}.
 */
@Component
class ResultListener {

  private static final Logger log = LoggerFactory.getLogger(ResultListener.class);

  private final ResultRecorder recorder;

  ResultListener(ResultRecorder recorder) {
    this.recorder = recorder;
  }

  @KafkaListener(id = "tessera-result-recorder", topics = Topics.RESULTS,
      groupId = "tessera-recorder", containerFactory = GatewayConfiguration.LISTENER_FACTORY,
      autoStartup = "${tessera.gateway.recorder-enabled:true}")
  void onResult(ConsumerRecord<String, byte[]> record) {
    GenerationResult result = Json.fromBytes(record.value(), GenerationResult.class);
    ResultRecorder.Outcome outcome = recorder.record(result);
    if (outcome == ResultRecorder.Outcome.UNKNOWN) {
      log.warn("result for unknown generation {} dropped", result.requestId());
    } else {
      log.debug("{} -> {}", result, outcome);
    }
  }
}
