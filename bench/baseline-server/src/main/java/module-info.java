/**
 * The benchmark baseline: a bare Helidon WebServer answering {@code POST /v1/chat/completions} with a
 * fixed {@code chat.completion}, after parsing the request with JSON-P. It shows what the HTTP server
 * and JSON parsing alone cost on the machine, so the gateway can be measured against it.
 */
module io.llmgateway.bench.baseline {
    requires io.helidon.webserver;
    requires io.helidon.http.media.jsonp;
    requires jakarta.json;
}
