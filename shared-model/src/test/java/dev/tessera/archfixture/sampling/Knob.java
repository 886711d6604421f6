package dev.tessera.archfixture.sampling;

/** An engine-side value type. */
public record Knob(double temperature) {}
