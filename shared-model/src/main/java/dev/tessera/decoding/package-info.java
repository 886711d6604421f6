/** Decoding strategies over a shared continuous-batching loop: plain AR, PAR region-parallel, and speculative decoding with exact or LANTERN-relaxed acceptance. */
package dev.tessera.decoding;
