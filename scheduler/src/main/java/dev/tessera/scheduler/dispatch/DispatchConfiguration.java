package dev.tessera.scheduler.dispatch;

import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.scheduler.batching.BatchPolicy;
import dev.tessera.scheduler.batching.PendingQueues;
import dev.tessera.scheduler.fleet.WorkerFleet;
import dev.tessera.scheduler.ordering.Aging;
import dev.tessera.scheduler.ordering.FairShare;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pending queues and the worker fleet the dispatch loop works on, from the settings. */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

  @Bean
  PendingQueues pendingQueues(SchedulerProperties properties, TenantWeights weights) {
    return new PendingQueues(
        new BatchPolicy(properties.maxBatchSize(), properties.maxBatchWait()), new FairShare(),
        new Aging(properties.agingStep()), properties.workCost(), weights::weight);
  }

  @Bean
  WorkerFleet workerFleet(SchedulerProperties properties) {
    return new WorkerFleet(properties.workerTimeout());
  }
}
