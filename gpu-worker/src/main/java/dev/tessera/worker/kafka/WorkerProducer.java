package dev.tessera.worker.kafka;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** The worker's Kafka producer (results and heartbeats): String keys, JSON bytes, acks=all. */
@Component
class WorkerProducer implements DisposableBean {

  private final DefaultKafkaProducerFactory<String, byte[]> factory;
  private final KafkaTemplate<String, byte[]> template;

  WorkerProducer(KafkaProperties kafka) {
    Map<String, Object> config = kafka.buildProducerProperties(null);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.factory = new DefaultKafkaProducerFactory<>(config);
    this.template = new KafkaTemplate<>(factory);
  }

  KafkaTemplate<String, byte[]> template() {
    return template;
  }

  @Override
  public void destroy() {
    factory.destroy();
  }
}
