package dev.tessera.archfixture.gateway;

import dev.tessera.archfixture.scheduler.Queue;

/** Planted: the gateway calls into the scheduler instead of publishing to Kafka. */
public class CallsScheduler {
  public int enqueue(Queue queue) {
    return queue.size();
  }
}
