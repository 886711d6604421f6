package dev.tessera.scheduler.lease;

/** This scheduler process's id: it names the lease holder and every dispatch it makes. */
public record SchedulerInstance(String id) {}
