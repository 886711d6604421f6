package dev.tessera.infra.bench.fleet;

import dev.tessera.contract.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the consumer lag that matters once a second: the result recorder's (gateways) on
 * {@link Topics#RESULTS}, and the largest of the schedulers' on {@link Topics#REQUESTS}. Keeps the
 * maximum and the sum for a mean.
 */
final class LagSampler implements AutoCloseable {

  private final Admin admin;
  private final Map<String, long[]> stats = new ConcurrentHashMap<>(); // max, sum, samples
  private final Thread thread;
  private volatile boolean running = true;

  LagSampler(String bootstrap) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    this.thread = new Thread(this::run, "fleet-lag");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        sample("recorder", "tessera-recorder");
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
          if (g.groupId().startsWith("tessera-scheduler-requests-")) {
            sample("scheduler", g.groupId());
          }
        }
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a sample missed; the next one counts
      }
    }
  }

  private void sample(String name, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    if (committed.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get();
    long lag = 0;
    for (var e : committed.entrySet()) {
      if (e.getValue() != null) {
        lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
      }
    }
    long l = lag;
    stats.compute(name, (k, s) -> s == null ? new long[] {l, l, 1}
        : new long[] {Math.max(s[0], l), s[1] + l, s[2] + 1});
  }

  /** The largest lag seen, in messages. */
  long max(String name) {
    long[] s = stats.get(name);
    return s == null ? 0 : s[0];
  }

  /** The mean lag seen, in messages. */
  double mean(String name) {
    long[] s = stats.get(name);
    return s == null ? 0 : (double) s[1] / s[2];
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    admin.close(Duration.ofSeconds(2));
  }
}
