/** The LlamaGen class-conditional transformer in DJL: config, weights under LlamaGen names (safetensors), the forward shared by inference and training, 2D RoPE, attention masks, the PAR sequence layout, the EAGLE drafter, and the pooled KV cache. */
package dev.tessera.model;
