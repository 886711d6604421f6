package dev.tessera.decoding;

import dev.tessera.contract.DecodeMetrics;

/**
 * A finished image: its token grid in raster order and what it cost.
 *
 * @param requestId the job's id
 * @param tokens VQ token ids in raster order (row-major over the grid)
 * @param metrics decode metrics
 */
public record DecodeOutput(String requestId, int[] tokens, DecodeMetrics metrics) {}
