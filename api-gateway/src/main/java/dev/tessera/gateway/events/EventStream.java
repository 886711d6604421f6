package dev.tessera.gateway.events;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.GenerationReader;
import dev.tessera.gateway.generation.GenerationView;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's event stream of one generation. Every send happens under this object's lock, and a
 * state is read inside the lock before it is sent, so events go out in the order their states were
 * read, and a state this connection already sent is not sent again. After a terminal state the
 * stream is completed.
 */
final class EventStream {

  private final UUID id;
  private final Caller caller;
  private final SseEmitter emitter;
  private final Consumer<EventStream> onClose;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private String lastEventId;
  private int sent;
  private boolean closed;

  /**
   * @param lastEventId the id of the event the client saw last (its {@code Last-Event-ID} on a
   *     reconnect), or null: that event is not sent again
   * @param onClose called once when the stream closes, whoever closes it
   */
  EventStream(UUID id, Caller caller, SseEmitter emitter, String lastEventId,
      Consumer<EventStream> onClose) {
    this.id = id;
    this.caller = caller;
    this.emitter = emitter;
    this.lastEventId = lastEventId;
    this.onClose = onClose;
  }

  /** The id of the event of a state: the state and the dispatch attempt, e.g. {@code running-1}. */
  static String eventId(GenerationState state, int attempt) {
    return name(state) + "-" + attempt;
  }

  /** The event name of a state: the state in lower case. */
  static String name(GenerationState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  UUID id() {
    return id;
  }

  /** Whether a refresh is queued already; if not, it is from now on. */
  boolean queueRefresh() {
    return refreshQueued.compareAndSet(false, true);
  }

  /**
   * Reads the generation's view and sends it unless it is this connection's last event; completes
   * the stream after a terminal state. Returns the view read, or null if the stream is closed.
   *
   * @throws dev.tessera.gateway.problem.ApiException if the view cannot be read (not the caller's:
   *     404; PostgreSQL down: 503)
   */
  synchronized GenerationView refresh(GenerationReader reader) {
    refreshQueued.set(false);
    if (closed) {
      return null;
    }
    GenerationView view = reader.view(caller, id);
    String eventId = eventId(view.status(), view.attempt());
    if (!eventId.equals(lastEventId)) {
      lastEventId = eventId;
      sent++;
      send(SseEmitter.event().id(eventId).name(name(view.status()))
          .data(view, MediaType.APPLICATION_JSON));
    }
    if (view.status().isTerminal()) {
      close();
    }
    return view;
  }

  /** Whether this connection still needs the event of this state. */
  synchronized boolean behind(GenerationState state, int attempt) {
    return !closed && !eventId(state, attempt).equals(lastEventId);
  }

  /** How many events this connection has sent. */
  synchronized int sent() {
    return sent;
  }

  /** A comment line, so that idle connections stay open and a gone client is noticed. */
  synchronized void keepAlive() {
    if (!closed) {
      send(SseEmitter.event().comment("keep-alive"));
    }
  }

  /** Completes the stream (idempotent). */
  synchronized void close() {
    if (closed) {
      return;
    }
    try {
      emitter.complete();
    } catch (RuntimeException e) {
      // completed already, or the container gave up on the connection
    }
    gone();
  }

  /** The container ended the connection (completion, error): only forget the stream. */
  synchronized void gone() {
    closed = true;
    onClose.accept(this);
  }

  private void send(SseEmitter.SseEventBuilder event) {
    try {
      emitter.send(event);
    } catch (IOException | RuntimeException e) {
      // the client has gone (or the stream timed out meanwhile): the container cleans up
      gone();
    }
  }
}
