package dev.tessera.worker.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of requests their clients cancelled, as the worker learned them from the cancellations topic;
 * the decode loop consults it at every step boundary. Bounded: the oldest ids are forgotten first
 * (a cancellation matters only while its request may still be decoded). Thread-safe.
 */
public final class CancelledRequests {

  private final int capacity;
  private final Map<String, Boolean> ids;

  public CancelledRequests(int capacity) {
    this.capacity = capacity;
    this.ids = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > CancelledRequests.this.capacity;
      }
    };
  }

  /** Records a cancellation. */
  public synchronized void add(String requestId) {
    ids.put(requestId, Boolean.TRUE);
  }

  /** Whether the request was cancelled. */
  public synchronized boolean contains(String requestId) {
    return ids.containsKey(requestId);
  }
}
