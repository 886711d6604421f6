package dev.tessera.worker;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a worker, under {@code tessera.worker.*}.
 *
 * @param id stable id of this worker; blank means {@code <host>-<pid>}
 * @param modelsDir directory holding one sub-directory per model ({@code config.json},
 *     {@code model.safetensors}, tokenizer)
 * @param models names of the models this worker serves
 * @param randomSeed seed of the random weights used for a model whose directory does not exist
 * @param randomModel sizes of that random model
 * @param maxImages images one (model, strategy) decoder holds at once: its KV pool is sized for
 *     this many (two rows each with CFG), allocated once. The latency/throughput knob: on the
 *     2-core reference machine, with one intra-op thread, a step of 12 images costs about 2.9× a
 *     step of one and so decodes 4.2× the images per second (`./tessera bench step --pool-images
 *     12`); {@code lightTenantWidth} and the high-priority parking keep the width, and so the
 *     latency, of light and urgent work down
 * @param prefetch requests the worker accepts beyond {@code maxImages}, waiting at the step boundary,
 *     so that a freed slot is refilled at once instead of after a round trip to the scheduler
 * @param highPriorityReserve images of every KV pool kept for high-priority requests and for
 *     tenants with nothing decoding on the worker: others are admitted only while these stay free,
 *     so urgent work and a light tenant's request start at once
 * @param lightTenantWidth images a (model, strategy) group steps at once while a light tenant (at
 *     most one image decoding here) shares it with other tenants' images; the others' newest
 *     sequences are parked meanwhile and their next requests wait at the step boundary. 0 turns
 *     it off. Lower keeps a light tenant's latency nearer its unloaded time beside a flood, at the
 *     flood's expense: on the 2-core reference machine a step of 4 images costs 1.5× a step of
 *     one, 6: 1.85×, 12: 2.9× (`./tessera bench step`)
 * @param torchThreads PyTorch intra-op threads of the decode thread; 0 means one less than the
 *     cores (at least one), leaving a core to Kafka, the heartbeats and whatever shares the
 *     machine: on the 2-core reference machine the all-in-one system decodes a loaded worker's
 *     batches 1.46× faster with one thread than with two (`./tessera bench load --scenario
 *     steady`), because a second OpenMP thread that the other services keep preempting stalls
 *     every parallel op of the step
 * @param heartbeatInterval how often the worker announces itself, its models and free capacity
 * @param maxPollInterval longest gap between two polls of the cancellation consumer
 * @param drainTimeout on SIGTERM, how long the worker goes on decoding what it has started (what it
 *     has not started it hands back at once); what is still decoding then is abandoned, and the
 *     scheduler queues it again
 */
@ConfigurationProperties("tessera.worker")
public record WorkerProperties(
    @DefaultValue("") String id,
    @DefaultValue("models") Path modelsDir,
    @DefaultValue({"fm-ar", "fm-par4", "fm-par16"}) List<String> models,
    @DefaultValue("42") long randomSeed,
    @DefaultValue RandomModel randomModel,
    @DefaultValue("12") int maxImages,
    @DefaultValue("4") int prefetch,
    @DefaultValue("2") int highPriorityReserve,
    @DefaultValue("4") int lightTenantWidth,
    @DefaultValue("0") int torchThreads,
    @DefaultValue("2s") Duration heartbeatInterval,
    @DefaultValue("10m") Duration maxPollInterval,
    @DefaultValue("30s") Duration drainTimeout) {

  /**
   * Sizes of the random-weights stand-in model (defaults: the shipped fm-ar architecture).
   *
   * @param dim model width
   * @param layers transformer blocks
   * @param heads attention heads
   * @param vocabSize codebook size
   * @param numClasses classes
   * @param gridSide token grid side
   */
  public record RandomModel(
      @DefaultValue("128") int dim,
      @DefaultValue("8") int layers,
      @DefaultValue("4") int heads,
      @DefaultValue("512") int vocabSize,
      @DefaultValue("10") int numClasses,
      @DefaultValue("16") int gridSide) {}

  public WorkerProperties {
    if (maxImages < 1) {
      throw new IllegalArgumentException("tessera.worker.max-images must be >= 1");
    }
    if (highPriorityReserve < 0 || highPriorityReserve >= maxImages) {
      throw new IllegalArgumentException(
          "tessera.worker.high-priority-reserve must be in [0, max-images)");
    }
    if (lightTenantWidth < 0 || lightTenantWidth > maxImages) {
      throw new IllegalArgumentException("tessera.worker.light-tenant-width must be in [0, max-images]");
    }
    if (torchThreads < 0) {
      throw new IllegalArgumentException("tessera.worker.torch-threads must be >= 0");
    }
    if (prefetch < 0) {
      throw new IllegalArgumentException("tessera.worker.prefetch must be >= 0");
    }
    if (models == null || models.isEmpty()) {
      throw new IllegalArgumentException("tessera.worker.models must name at least one model");
    }
  }

  /** Intra-op threads of the decode thread: the configured number, or cores − 1 (at least 1). */
  public int resolvedTorchThreads() {
    return torchThreads > 0 ? torchThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /** Requests the worker holds at once: what it advertises to the scheduler. */
  public int capacity() {
    return maxImages + prefetch;
  }

  /** The configured id, or {@code <host>-<pid>-<random>} (unique even for two workers in one JVM). */
  public String resolvedId() {
    if (id != null && !id.isBlank()) {
      return id;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "worker";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
        + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16));
  }
}
