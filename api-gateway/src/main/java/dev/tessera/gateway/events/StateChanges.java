package dev.tessera.gateway.events;

import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Json;
import dev.tessera.gateway.RedisProperties;
import java.util.UUID;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Announces, on Redis pub/sub, that a generation's state changed, and hands every gateway's
 * announcements to this gateway's event streams. One channel, {@code <key prefix>generation-events}
 * (a Redisson {@link RTopic}); a message is the JSON of a {@link StateChange}, sent after the change
 * is committed to PostgreSQL. Pub/sub delivers at most once: a gateway that is disconnected from
 * Redis misses messages, which is why the event streams also poll PostgreSQL.
 */
@Component
public class StateChanges {

  /** The channel's name after the key prefix; the one place it is written. */
  public static final String CHANNEL = "generation-events";

  /** One announcement: a generation and the state it is in now. */
  public record StateChange(String id, GenerationState status) {}

  private static final Logger log = LoggerFactory.getLogger(StateChanges.class);

  private final RTopic topic;

  StateChanges(RedissonClient redis, RedisProperties properties) {
    this.topic = redis.getTopic(properties.keyPrefix() + CHANNEL, StringCodec.INSTANCE);
  }

  /**
   * Announces a committed state change to every gateway; best effort: it does not wait, and a
   * failure is only logged (the streams' poll of PostgreSQL finds the change).
   */
  public void announce(UUID id, GenerationState state) {
    try {
      topic.publishAsync(Json.toText(new StateChange(id.toString(), state)))
          .whenComplete((receivers, e) -> {
            if (e != null) {
              log.debug("could not announce {} of {}: {}", state, id, e.toString());
            }
          });
    } catch (RuntimeException e) {
      log.debug("could not announce {} of {}: {}", state, id, e.toString());
    }
  }

  /**
   * Subscribes: {@code listener} gets every announcement (on a Redisson thread: hand work off), and
   * {@code onSubscribed} runs whenever the subscription is (re)established, when messages may have
   * been missed.
   *
   * @throws RuntimeException if Redis cannot be reached now
   */
  void listen(Consumer<StateChange> listener, Runnable onSubscribed) {
    topic.addListener(new BaseStatusListener() {
      @Override
      public void onSubscribe(String channel) {
        onSubscribed.run();
      }
    });
    topic.addListener(String.class, (channel, message) -> {
      try {
        listener.accept(Json.fromText(message, StateChange.class));
      } catch (RuntimeException e) {
        log.warn("ignoring an unreadable announcement on {}", channel, e);
      }
    });
  }

  /** Unsubscribes this gateway. */
  void stop() {
    try {
      topic.removeAllListeners();
    } catch (RuntimeException e) {
      log.debug("could not unsubscribe from {}: {}", CHANNEL, e.toString());
    }
  }
}
