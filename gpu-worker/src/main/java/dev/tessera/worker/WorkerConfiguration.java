package dev.tessera.worker;

import dev.tessera.contract.Topics;
import dev.tessera.model.GptConfig;
import dev.tessera.worker.engine.DecodeEngine;
import dev.tessera.worker.engine.DecodeLoop;
import dev.tessera.worker.engine.Drain;
import dev.tessera.worker.engine.CancelledRequests;
import dev.tessera.worker.engine.ResultSink;
import dev.tessera.worker.engine.DirectoryModelSource;
import dev.tessera.worker.engine.ModelRegistry;
import dev.tessera.worker.engine.ModelSource;
import dev.tessera.worker.engine.TorchThread;
import dev.tessera.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;
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
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Everything a worker needs, for {@link WorkerApplication} and the all-in-one launcher. */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = "dev.tessera.worker.kafka")
@EnableConfigurationProperties(WorkerProperties.class)
@PropertySource("classpath:tessera-worker.properties")
public class WorkerConfiguration {

  /** Name of the listener container factory of the worker's consumers. */
  public static final String LISTENER_FACTORY = "workerListenerFactory";

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  WorkerId workerId(WorkerProperties properties) {
    return new WorkerId(properties.resolvedId());
  }

  @Bean
  @ConditionalOnMissingBean
  ModelSource modelSource(WorkerProperties properties) {
    WorkerProperties.RandomModel r = properties.randomModel();
    return new DirectoryModelSource(properties.modelsDir(),
        GptConfig.of(r.dim(), r.layers(), r.heads(), r.vocabSize(), r.numClasses(), r.gridSide()),
        properties.randomSeed());
  }

  @Bean(destroyMethod = "close")
  TorchThread torchThread(WorkerProperties properties) {
    TorchThread torch = new TorchThread(properties.resolvedTorchThreads());
    LoggerFactory.getLogger(WorkerConfiguration.class).info(
        "decode thread {} runs {} intra-op thread(s)", TorchThread.NAME, torch.intraOpThreads());
    return torch;
  }

  /** Loaded on the torch thread, which decodes them too (see {@link TorchThread}). */
  @Bean(destroyMethod = "close")
  ModelRegistry modelRegistry(ModelSource source, WorkerProperties properties,
      TorchThread torch) {
    return torch.call(
        () -> new ModelRegistry(source, properties.models(), properties.maxImages()));
  }

  @Bean
  WorkerMetrics workerMetrics(MeterRegistry meters, ModelRegistry registry) {
    return new WorkerMetrics(meters, registry);
  }

  @Bean
  CancelledRequests cancelledRequests() {
    return new CancelledRequests(100_000);
  }

  @Bean
  DecodeEngine decodeEngine(ModelRegistry registry, WorkerId workerId, Clock clock,
      CancelledRequests cancelled, ResultSink sink, WorkerProperties properties,
      WorkerMetrics metrics) {
    return new DecodeEngine(registry, workerId.value(), clock, cancelled::contains, sink,
        properties.highPriorityReserve(), properties.lightTenantWidth(), metrics::imageDecoded);
  }

  @Bean
  Drain drain() {
    return new Drain();
  }

  @Bean
  DecodeLoop decodeLoop(DecodeEngine engine, TorchThread torch, Drain drain,
      WorkerProperties properties) {
    return new DecodeLoop(engine, torch, drain, properties.drainTimeout());
  }

  /** The cancellation consumer (batches come through {@code BatchMailbox}, without a group). */
  @Bean(LISTENER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<String, byte[]> workerListenerFactory(
      KafkaProperties kafka, WorkerProperties properties) {
    Map<String, Object> props = kafka.buildConsumerProperties(null);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        (int) properties.maxPollInterval().toMillis());
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
    factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(props));
    factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(30_000);
    factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
    return factory;
  }

  @Bean
  NewTopic batchesTopic() {
    return TopicBuilder.name(Topics.BATCHES).partitions(Topics.BATCH_PARTITIONS).build();
  }
}
