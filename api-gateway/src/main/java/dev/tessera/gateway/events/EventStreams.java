package dev.tessera.gateway.events;

import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.GenerationReader;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.problem.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * This gateway's open event streams, by generation. A stream is registered before the generation's
 * state is first read and sent, so a change in between is not lost. Then a stream is refreshed
 * (its view read again through the {@link GenerationReader}, sent if it is new to the connection)
 * when:
 * <ul>
 *   <li>any gateway announces a change of its generation on Redis ({@link StateChanges});</li>
 *   <li>the poll, every {@code tessera.gateway.events-poll-interval}, finds its generation in
 *       PostgreSQL in a state the stream has not sent: the changes the scheduler makes
 *       (DISPATCHED, a re-queue), and announcements pub/sub lost;</li>
 * </ul>
 * and it gets a keep-alive comment every {@code events-keep-alive}. It ends after a terminal state,
 * at {@code events-timeout}, when the client goes, or when the gateway stops.
 */
@Component
public class EventStreams implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  /** Ids per PostgreSQL query of the poll. */
  private static final int POLL_CHUNK = 500;

  private final GenerationReader reader;
  private final GenerationRepository repository;
  private final StateChanges changes;
  private final Duration timeout;
  private final Duration keepAlive;
  private final Duration pollInterval;
  private final Map<UUID, Set<EventStream>> streams = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor executor;
  private volatile boolean running;
  private volatile boolean subscribed;

  EventStreams(GenerationReader reader, GenerationRepository repository, StateChanges changes,
      GatewayProperties properties) {
    this.reader = reader;
    this.repository = repository;
    this.changes = changes;
    this.timeout = properties.eventsTimeout();
    this.keepAlive = properties.eventsKeepAlive();
    this.pollInterval = properties.eventsPollInterval();
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ScheduledThreadPoolExecutor(2, task -> {
      Thread t = new Thread(task, "tessera-events-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /**
   * Opens the caller's event stream of a generation and sends its current state. Returns empty
   * when the generation has ended and {@code lastEventId} is its terminal event: the client has
   * seen everything (answer 204, which tells an EventSource to stop reconnecting).
   *
   * @throws NotFoundException unknown, or another tenant's
   */
  public Optional<SseEmitter> open(Caller caller, UUID id, String lastEventId) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    EventStream stream = new EventStream(id, caller, emitter, lastEventId, this::unregister);
    emitter.onTimeout(stream::close);
    emitter.onError(e -> stream.gone());
    emitter.onCompletion(stream::gone);
    register(stream); // first: a change announced from now on refreshes this stream
    GenerationView view;
    try {
      view = stream.refresh(reader);
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
    if (view != null && view.status().isTerminal() && stream.sent() == 0) {
      return Optional.empty();
    }
    return Optional.of(emitter);
  }

  /** Checks every open stream against PostgreSQL now, and refreshes those that are behind. */
  public void poll() {
    if (!subscribed) {
      subscribe();
    }
    List<UUID> ids = new ArrayList<>(streams.keySet());
    for (int from = 0; from < ids.size(); from += POLL_CHUNK) {
      List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + POLL_CHUNK));
      Map<UUID, GenerationRepository.Progress> progress = repository.progress(chunk);
      for (UUID id : chunk) {
        GenerationRepository.Progress p = progress.get(id);
        for (EventStream stream : streams.getOrDefault(id, Set.of())) {
          if (p == null || stream.behind(p.state(), p.attempt())) {
            refreshLater(stream);
          }
        }
      }
    }
  }

  /** Open streams on this gateway. */
  public int size() {
    return streams.values().stream().mapToInt(Set::size).sum();
  }

  private void onChange(StateChanges.StateChange change) {
    UUID id;
    try {
      id = UUID.fromString(change.id());
    } catch (IllegalArgumentException | NullPointerException e) {
      return;
    }
    streams.getOrDefault(id, Set.of()).forEach(this::refreshLater);
  }

  private void refreshLater(EventStream stream) {
    if (stream.queueRefresh()) {
      later(() -> refresh(stream));
    }
  }

  private void later(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void refresh(EventStream stream) {
    try {
      stream.refresh(reader);
    } catch (NotFoundException e) {
      stream.close();
    } catch (RuntimeException e) {
      log.debug("could not refresh the event stream of {} (the next poll tries again): {}",
          stream.id(), e.toString());
    }
  }

  private void register(EventStream stream) {
    streams.compute(stream.id(), (id, set) -> {
      Set<EventStream> s = set != null ? set : ConcurrentHashMap.newKeySet();
      s.add(stream);
      return s;
    });
  }

  private void unregister(EventStream stream) {
    streams.computeIfPresent(stream.id(), (id, set) -> {
      set.remove(stream);
      return set.isEmpty() ? null : set;
    });
  }

  private synchronized void subscribe() {
    if (subscribed || !running) {
      return;
    }
    try {
      changes.listen(this::onChange, () -> later(this::safePoll));
      subscribed = true;
    } catch (RuntimeException e) {
      changes.stop();
      log.warn("could not subscribe to state changes on Redis (retried every {}; until then "
          + "event streams follow PostgreSQL only): {}", pollInterval, e.toString());
    }
  }

  private void safePoll() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.debug("event stream poll failed: {}", e.toString());
    }
  }

  private void keepAliveAll() {
    try {
      streams.values().forEach(set -> set.forEach(EventStream::keepAlive));
    } catch (RuntimeException e) {
      log.debug("event stream keep-alive failed: {}", e.toString());
    }
  }

  @Override
  public void start() {
    running = true;
    later(this::subscribe); // not on the starting thread: Redis may be slow or down
    executor.scheduleWithFixedDelay(this::safePoll, pollInterval.toMillis(),
        pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(this::keepAliveAll, keepAlive.toMillis(),
        keepAlive.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Ends every stream first, before the web server's graceful shutdown waits for requests. */
  @Override
  public void stop() {
    synchronized (this) {
      running = false;
      changes.stop();
      subscribed = false;
    }
    executor.shutdownNow();
    List.copyOf(streams.values()).forEach(set -> List.copyOf(set).forEach(EventStream::close));
    streams.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
