package dev.tessera.gateway.generation;

import java.util.List;

/**
 * The body of {@code POST /v1/batches}: {@code {"requests": [...]}}, each item what {@code POST
 * /v1/generations} takes.
 */
public record CreateBatchBody(List<CreateGenerationBody> requests) {}
