/**
 * The local cluster: each service instance in its own OS process (its own JVM, run from the
 * service's deployable jar) against embedded or external Kafka, PostgreSQL and Redis.
 */
package dev.tessera.infra.cluster;
