/**
 * Wire contracts between Tessera's services: the records that travel on Kafka (request, batch,
 * result, heartbeat), the value types they carry (strategy and its parameters, sampling parameters,
 * decode metrics; the model library decodes with these same types), the generation states, the
 * topic names and the JSON codec. Every record validates itself in its compact constructor, so a
 * message that decodes is a message that makes sense. No Spring, no Kafka client, no HTTP and no
 * engine package here: only Jackson (ArchitectureTest checks it).
 */
package dev.tessera.contract;
