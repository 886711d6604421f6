package dev.tessera.worker.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the worker is draining (stopping on SIGTERM), and the requests it gave back: handed back
 * before they started, or abandoned when the drain ran out of time. The decode
 * loop starts the drain and records what it gives up; the heartbeat tells the scheduler, which sends
 * nothing more and queues the handed-back requests again. Thread-safe.
 */
public final class Drain {

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<String> handedBack = new ArrayList<>();
  private volatile boolean draining;

  /** Runs {@code listener} (on the caller's thread) whenever the drain starts or hands back more. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The drain starts; {@code ids} are the requests handed back (not started). */
  public void begin(List<String> ids) {
    synchronized (handedBack) {
      handedBack.addAll(ids);
    }
    draining = true;
    listeners.forEach(Runnable::run);
  }

  /** Requests abandoned at the end of the drain: given back too (the leaving heartbeat says so). */
  public void giveBack(List<String> ids) {
    synchronized (handedBack) {
      handedBack.addAll(ids);
    }
  }

  /** Whether the worker is draining. */
  public boolean draining() {
    return draining;
  }

  /** The requests handed back so far. */
  public List<String> handedBack() {
    synchronized (handedBack) {
      return List.copyOf(handedBack);
    }
  }
}
