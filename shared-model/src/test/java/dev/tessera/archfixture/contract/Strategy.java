package dev.tessera.archfixture.contract;

/** A value type the contract owns. */
public enum Strategy { AR, SPECULATIVE }
