package dev.tessera.contract;

import java.util.List;

/**
 * The one place for Kafka topic names. Every producer and listener refers to these constants; no
 * topic name is written anywhere else. Each topic is declared (created with its partitions) by the
 * module that consumes it.
 */
public final class Topics {

  /** Accepted requests, gateway → scheduler. Key: model. Value: {@link GenerationRequest}. */
  public static final String REQUESTS = "tessera.requests";

  /** Dispatched batches, scheduler → workers. Key: model. Value: {@link GenerationBatch}. */
  public static final String BATCHES = "tessera.batches";

  /**
   * Progress and outcomes, workers → result recorder (and scheduler bookkeeping). Key: request id.
   * Value: {@link GenerationResult}.
   */
  public static final String RESULTS = "tessera.results";

  /** Worker liveness, models and free capacity (compacted). Key: worker id. Value: {@link WorkerHeartbeat}. */
  public static final String HEARTBEATS = "tessera.heartbeats";

  /** Cancellation notices, gateway → scheduler and workers. Key: request id. Value: {@link
   * Cancellation}. */
  public static final String CANCELLATIONS = "tessera.cancellations";

  /**
   * Messages that could not be processed after their retries. Key: as on the source topic. Value: a
   * {@link DeadLetter} for a request that ended FAILED.
   */
  public static final String DEAD_LETTERS = "tessera.dead-letters";

  /** Default partition count of the request and cancellation topics. */
  public static final int DEFAULT_PARTITIONS = 3;

  /**
   * Default partition count of {@link #BATCHES}. Batches are addressed to a worker (not handed out
   * by a consumer group), and each worker reads one partition, its mailbox ({@code hash(worker id)
   * mod partitions}); so any number of workers gets work, and a partition shared by k workers is
   * read k times. 16 keeps that factor at W/16 for a fleet of W workers.
   */
  public static final int BATCH_PARTITIONS = 16;

  private Topics() {}

  /** A worker's mailbox: the partition of {@link #BATCHES} its batches go to. */
  public static int mailboxOf(String workerId, int batchPartitions) {
    return Math.floorMod(workerId.hashCode(), batchPartitions);
  }

  /** Every topic, for tools and tests. */
  public static List<String> all() {
    return List.of(REQUESTS, BATCHES, RESULTS, HEARTBEATS, CANCELLATIONS, DEAD_LETTERS);
  }
}
