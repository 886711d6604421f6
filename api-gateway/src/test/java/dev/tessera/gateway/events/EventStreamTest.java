package dev.tessera.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.GenerationReader;
import dev.tessera.gateway.generation.GenerationView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class EventStreamTest {

  private static final UUID ID = UUID.randomUUID();
  private static final Caller CALLER = new Caller(UUID.randomUUID(), UUID.randomUUID());

  /** An emitter that keeps what is sent: the text of each event (id and name lines). */
  private static final class RecordingEmitter extends SseEmitter {
    final List<String> events = new ArrayList<>();
    boolean completed;
    boolean failSends;

    @Override
    public void send(SseEventBuilder builder) throws IOException {
      if (failSends) {
        throw new IOException("client gone");
      }
      events.add(builder.build().stream().map(d -> d.getData() instanceof String text ? text : "")
          .collect(Collectors.joining()).trim());
    }

    @Override
    public void complete() {
      completed = true;
    }
  }

  private final RecordingEmitter emitter = new RecordingEmitter();
  private final GenerationReader reader = mock(GenerationReader.class);
  private final AtomicInteger closes = new AtomicInteger();

  private EventStream stream(String lastEventId) {
    return new EventStream(ID, CALLER, emitter, lastEventId, s -> closes.incrementAndGet());
  }

  private static GenerationView view(GenerationState state, int attempt) {
    return new GenerationView(ID.toString(), state, "fm-ar", "ar", 1, 1L, null, null, "normal",
        null, attempt, null, null, null, null, null, null, null);
  }

  @Test
  void eachStateIsSentOnceInTheOrderReadAndATerminalOneEndsTheStream() {
    when(reader.view(any(), any())).thenReturn(view(GenerationState.QUEUED, 0),
        view(GenerationState.QUEUED, 0), view(GenerationState.DISPATCHED, 1),
        view(GenerationState.RUNNING, 1), view(GenerationState.RUNNING, 1),
        view(GenerationState.SUCCEEDED, 1));
    EventStream stream = stream(null);
    for (int i = 0; i < 6; i++) {
      stream.refresh(reader);
    }
    assertThat(emitter.events).as("events, duplicates suppressed").containsExactly(
        "id:queued-0\nevent:queued\ndata:", "id:dispatched-1\nevent:dispatched\ndata:",
        "id:running-1\nevent:running\ndata:", "id:succeeded-1\nevent:succeeded\ndata:");
    assertThat(emitter.completed).as("completed after the terminal state").isTrue();
    assertThat(closes).as("forgotten once").hasValue(1);
    assertThat(stream.refresh(reader)).as("a closed stream reads nothing").isNull();
  }

  @Test
  void aNewAttemptOfTheSameStateIsANewEventAndTheClientsLastEventIsNotSentAgain() {
    when(reader.view(any(), any())).thenReturn(view(GenerationState.RUNNING, 1),
        view(GenerationState.RUNNING, 2));
    EventStream stream = stream("running-1");
    stream.refresh(reader);
    assertThat(emitter.events).as("the client has running-1").isEmpty();
    assertThat(stream.behind(GenerationState.RUNNING, 2)).as("behind a second attempt").isTrue();
    stream.refresh(reader);
    assertThat(emitter.events).as("running again, attempt 2")
        .containsExactly("id:running-2\nevent:running\ndata:");
    assertThat(stream.behind(GenerationState.RUNNING, 2)).as("up to date").isFalse();
    assertThat(emitter.completed).as("still open").isFalse();
  }

  @Test
  void aFailedSendForgetsTheStreamAndKeepAlivesStop() {
    when(reader.view(any(), any())).thenReturn(view(GenerationState.QUEUED, 0));
    EventStream stream = stream(null);
    emitter.failSends = true;
    stream.refresh(reader);
    stream.keepAlive();
    assertThat(closes).as("forgotten once").hasValue(1);
    assertThat(stream.behind(GenerationState.RUNNING, 1)).as("a gone stream wants nothing")
        .isFalse();
  }
}
