package dev.tessera.archfixture.contract;

import dev.tessera.archfixture.sampling.Knob;

/** Planted: a wire record that carries an engine type. */
public record EngineTypedOrder(String id, Knob knob) {}
