package dev.tessera.scheduler.lease;

import dev.tessera.scheduler.SchedulerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This process's {@link SchedulerInstance}, named by {@code tessera.scheduler.id}. */
@Configuration(proxyBeanMethods = false)
class LeaseConfiguration {

  @Bean
  SchedulerInstance schedulerInstance(SchedulerProperties properties) {
    return new SchedulerInstance(properties.resolvedId());
  }
}
