/**
 * The API's contract as an OpenAPI 3.1 document (springdoc), served at {@code /v3/api-docs} with
 * an interactive UI at {@code /docs}: security schemes, the problem-details responses and their
 * types, and examples, added to what springdoc reads from the controllers.
 */
package dev.tessera.gateway.apidocs;
