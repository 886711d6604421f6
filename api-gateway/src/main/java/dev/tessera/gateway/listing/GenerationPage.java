package dev.tessera.gateway.listing;

import java.util.List;

/**
 * A page of a listing, shaped like OpenAI's and Stripe's lists: {@code data} newest first, the ids
 * of its first and last items (cursors for {@code before} and {@code after}), and whether more
 * items lie beyond it in the direction read.
 */
public record GenerationPage<T>(String object, List<T> data, String firstId, String lastId,
    boolean hasMore) {}
