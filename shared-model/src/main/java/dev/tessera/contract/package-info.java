/**
 * Wire contracts between Tessera's services: the records that travel on Kafka (request, batch,
 * result, heartbeat), the generation states, the topic names and the JSON codec. Every record
 * validates itself in its compact constructor, so a message that decodes is a message that makes
 * sense. No Spring, no Kafka client, no HTTP here: only Jackson.
 */
package dev.tessera.contract;
