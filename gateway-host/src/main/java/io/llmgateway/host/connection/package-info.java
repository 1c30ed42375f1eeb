/**
 * What the gateway does to every client connection below HTTP routing: caps how many there are, closes
 * those that idle too long or send or read too slowly, ends a connection when a request or a response says
 * {@code Connection: close}, tells a waiting request that its client has gone, and drains connections at
 * shutdown. It wraps Helidon's HTTP/1 connection and leaves HTTP parsing to it; it knows nothing of chat.
 */
package io.llmgateway.host.connection;
