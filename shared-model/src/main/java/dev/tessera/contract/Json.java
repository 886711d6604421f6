package dev.tessera.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The JSON codec of the wire contracts: snake_case names (as in the HTTP API), ISO-8601 instants,
 * strategies by their API names, PNG bytes as base64. Unknown fields are ignored so that a newer
 * producer can add fields without breaking an older consumer.
 */
public final class Json {

  private static final ObjectMapper MAPPER = configure(new ObjectMapper());

  private Json() {}

  /** Applies Tessera's wire settings to a mapper (the gateway's HTTP mapper uses them too). */
  public static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        .registerModule(tesseraModule())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }

  /** Serializers for the contract's types that carry no Jackson annotations (strategies by API name). */
  public static Module tesseraModule() {
    SimpleModule module = new SimpleModule("tessera-contract");
    module.addSerializer(Strategy.class, new JsonSerializer<>() {
      @Override
      public void serialize(Strategy value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(value.apiName());
      }
    });
    module.addDeserializer(Strategy.class, new JsonDeserializer<>() {
      @Override
      public Strategy deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String name = p.getValueAsString();
        try {
          return Strategy.fromApiName(name);
        } catch (IllegalArgumentException e) {
          return (Strategy) ctxt.handleWeirdStringValue(Strategy.class, name, e.getMessage());
        }
      }
    });
    return module;
  }

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Encodes a contract record. */
  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** Encodes a contract record as a string (logs, Redis, tests). */
  public static String toText(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decodes and validates a contract record.
   *
   * @throws ContractException if the bytes are not a valid {@code type}
   */
  public static <T> T fromBytes(byte[] bytes, Class<T> type) {
    if (bytes == null) {
      throw new ContractException("no payload for " + type.getSimpleName(), null);
    }
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new ContractException(
          "not a valid " + type.getSimpleName() + ": " + rootMessage(e), e);
    }
  }

  /** Decodes and validates a contract record from text. */
  public static <T> T fromText(String text, Class<T> type) {
    return fromBytes(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        type);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
