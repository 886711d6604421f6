package dev.tessera.worker;

/** This worker's id, as it signs results and heartbeats. */
public record WorkerId(String value) {}
