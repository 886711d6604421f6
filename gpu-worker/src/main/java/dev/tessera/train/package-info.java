/**
 * Training on DJL's training API: the GPT (raster or PAR order) and the EAGLE drafter, AdamW with
 * exact checkpoint/resume, and the tokenised dataset they stream from. It lives in gpu-worker, beside
 * the offline commands that run it, so the services that only route requests do not carry it.
 */
package dev.tessera.train;
