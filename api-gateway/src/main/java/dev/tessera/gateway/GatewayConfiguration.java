package dev.tessera.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
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
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Everything the gateway needs, for its own {@link GatewayApplication} and for the all-in-one
 * launcher, which imports this class. Kafka values are JSON bytes of the {@code dev.tessera.contract}
 * records, encoded and decoded explicitly with {@link Json}.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(excludeFilters =
    @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootConfiguration.class))
@EnableConfigurationProperties({GatewayProperties.class, RedisProperties.class,
    PublicUrlProperties.class})
@PropertySource("classpath:tessera-gateway.properties")
public class GatewayConfiguration {

  /** Name of the listener container factory of the gateway's consumers. */
  public static final String LISTENER_FACTORY = "gatewayListenerFactory";
  /** The error handler of the gateway's consumers (the result recorder's). */
  public static final String RESULT_ERROR_HANDLER = "recorderErrorHandler";

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** PostgreSQL down: requests get 503 at once instead of each waiting for the pool's timeout. */
  @Bean
  static BeanPostProcessor failFastDataSource() {
    return FailFastDataSource.wrapper();
  }

  @Bean(destroyMethod = "shutdown")
  RedissonClient redissonClient(RedisProperties redis) {
    Config config = new Config();
    config.setLazyInitialization(true);
    int timeoutMs = (int) redis.timeout().toMillis();
    config.useSingleServer()
        .setAddress(redis.address())
        .setConnectTimeout(timeoutMs)
        .setTimeout(timeoutMs)
        .setRetryAttempts(1)
        .setRetryInterval(Math.min(timeoutMs, 100))
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(8);
    return Redisson.create(config);
  }

  /**
   * The HTTP API's JSON: snake_case like the wire, and strict, so that a typo, a wrong type or a
   * field sent twice is a 400 that names the field instead of a silently ignored, coerced or
   * overwritten value. Bodies are small: a string over 64 KiB, a name over 1 KiB or nesting over
   * 64 levels is refused while parsing.
   */
  @Bean
  Jackson2ObjectMapperBuilderCustomizer tesseraApiJson() {
    return builder -> builder
        .modulesToInstall(modules -> modules.add(Json.tesseraModule()))
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
            MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .postConfigurer(mapper -> {
          mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
              .maxStringLength(64 * 1024).maxNameLength(1024).maxNestingDepth(64)
              .maxNumberLength(100).build());
          mapper.coercionConfigFor(LogicalType.Textual)
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
          mapper.coercionConfigFor(LogicalType.Integer)
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
          mapper.coercionConfigFor(LogicalType.Float)
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        });
  }

  /** Consumers of the gateway: String keys, JSON bytes, offsets committed after each record. */
  @Bean(LISTENER_FACTORY)
  ConcurrentKafkaListenerContainerFactory<String, byte[]> gatewayListenerFactory(
      KafkaProperties kafka, @Qualifier(RESULT_ERROR_HANDLER) CommonErrorHandler errorHandler) {
    Map<String, Object> props = kafka.buildConsumerProperties(null);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
    factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(props));
    factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
    factory.setCommonErrorHandler(errorHandler);
    return factory;
  }

  // Topics are declared by the module that consumes them.

  @Bean
  NewTopic resultsTopic() {
    return TopicBuilder.name(Topics.RESULTS).partitions(Topics.DEFAULT_PARTITIONS).build();
  }

  @Bean
  NewTopic heartbeatsTopic() {
    return TopicBuilder.name(Topics.HEARTBEATS).partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT).build();
  }

  @Bean
  NewTopic deadLettersTopic() {
    return TopicBuilder.name(Topics.DEAD_LETTERS).partitions(1).build();
  }
}
