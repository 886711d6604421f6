package dev.tessera.scheduler;

import dev.tessera.contract.Topics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.PropertySource;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;

/** Everything the scheduler needs, for {@link SchedulerApplication} and the all-in-one launcher. */
@Configuration(proxyBeanMethods = false)
@ComponentScan(excludeFilters =
    @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootConfiguration.class))
@EnableConfigurationProperties(SchedulerProperties.class)
@PropertySource("classpath:tessera-scheduler.properties")
public class SchedulerConfiguration {

  /** Name of the listener container factory of the scheduler's consumers. */
  public static final String LISTENER_FACTORY = "schedulerListenerFactory";

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Consumers of the scheduler. A request's offset may be committed once it is in the pending queue:
   * the queue is rebuilt from PostgreSQL after a crash, so Kafka need not hold it.
   */
  @Bean(LISTENER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<String, byte[]> schedulerListenerFactory(
      KafkaProperties kafka) {
    Map<String, Object> props = kafka.buildConsumerProperties(null);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
    factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(props));
    factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
    return factory;
  }

  /** Declared by the scheduler too (it publishes there), so that it exists before any worker. */
  @Bean
  NewTopic schedulerBatchesTopic() {
    return TopicBuilder.name(Topics.BATCHES).partitions(Topics.BATCH_PARTITIONS).build();
  }

  @Bean
  NewTopic requestsTopic() {
    return TopicBuilder.name(Topics.REQUESTS).partitions(Topics.DEFAULT_PARTITIONS).build();
  }

  /** Read by the scheduler and by every worker (each in its own group). */
  @Bean
  NewTopic cancellationsTopic() {
    return TopicBuilder.name(Topics.CANCELLATIONS).partitions(Topics.DEFAULT_PARTITIONS).build();
  }
}
