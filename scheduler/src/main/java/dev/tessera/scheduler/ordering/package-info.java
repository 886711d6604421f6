/**
 * The order in which pending requests are dispatched: strict priority levels with aging ({@link
 * dev.tessera.scheduler.ordering.Aging}), and within a level weighted tenant fairness over decode
 * work ({@link dev.tessera.scheduler.ordering.FairShare}, a virtual-time counter per tenant as in
 * VTC/WFQ). Pure functions of their inputs and the time; no Kafka, no database.
 */
package dev.tessera.scheduler.ordering;
