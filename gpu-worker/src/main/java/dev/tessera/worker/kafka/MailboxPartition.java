package dev.tessera.worker.kafka;

import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/**
 * The partition the {@link BatchMailbox} reads, for the heartbeat to announce; none until it reads
 * one, and none once it stopped. A plain holder, so that the heartbeat does not depend on the
 * mailbox bean: Spring stops a lifecycle bean's dependents before it, whatever their phases, and
 * the heartbeat must stop last (after the drain).
 */
@Component
class MailboxPartition {

  private volatile int partition = -1;

  void set(int partition) {
    this.partition = partition;
  }

  void clear() {
    partition = -1;
  }

  OptionalInt get() {
    return partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition);
  }
}
