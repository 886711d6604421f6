/** Host-side sampling in LlamaGen's order (CFG, temperature, top-k, top-p) with a seeded random stream per request. */
package dev.tessera.sampling;
