package dev.tessera.infra.cluster;

import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.infra.bench.TopicReader;
import java.util.List;

/** Every heartbeat still on {@link Topics#HEARTBEATS}, read from the beginning to the end. */
final class Heartbeats {

  private Heartbeats() {}

  static List<WorkerHeartbeat> readAll(String bootstrap) {
    return TopicReader.readAll(bootstrap, Topics.HEARTBEATS, WorkerHeartbeat.class);
  }
}
