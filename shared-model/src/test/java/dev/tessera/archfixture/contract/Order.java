package dev.tessera.archfixture.contract;

/** A compliant wire record: only its own package and the JDK. */
public record Order(String id, Strategy strategy) {}
