package io.llmgateway.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A fake of the Anthropic Messages API on loopback, for tests and benchmarks of code that calls the API
 * (the gateway's {@code api} backend, the real {@code claude} CLI pointed at it with
 * {@code ANTHROPIC_BASE_URL}).
 *
 * <p>It serves {@code POST /v1/messages} (with any query, e.g. the CLI's {@code ?beta=true}) and answers
 * everything else with a 404 error body. Each request gets, in this order of precedence: the next
 * {@linkplain #enqueue queued} reply, else what the {@linkplain #replyWith reply function} returns (unless
 * null), else the {@linkplain #defaultReply default reply}. A request without {@code model},
 * {@code messages} or {@code max_tokens}, or with a tool whose {@code input_schema} has a draft-07 tuple
 * ({@code "items": [...]}, which the real API refuses since it validates against draft 2020-12), gets a 400
 * like the real API's. Every request, answered or not,
 * is {@linkplain #requests() recorded} unless recording is switched off.
 *
 * <p>It is the JDK's {@code HttpServer} on 127.0.0.1 and a free port, with one virtual thread per
 * exchange, so hundreds of concurrent streams are cheap. Replies are rendered to bytes once per model and
 * mode and reused; per request it parses the JSON body and writes bytes. {@link #main} runs it on its own,
 * for benchmarks.
 *
 * <pre>{@code
 * try (FakeAnthropicApi api = FakeAnthropicApi.start()) {
 *     api.enqueue(Reply.text("Hi", " there"), Reply.rateLimited(2));
 *     ... point the client at api.baseUrl() ...
 *     assertEquals("Say hi", api.awaitRequests(1, Duration.ofSeconds(5)).getFirst().lastUserText());
 * }
 * }</pre>
 */
public final class FakeAnthropicApi implements AutoCloseable {
    /** The reply when nothing else is set: four text deltas. */
    public static final Reply.Text DEFAULT_REPLY = Reply.text("Hello", " from", " the fake", " Anthropic API.");

    private static final String MESSAGES_PATH = "/v1/messages";

    private final FakeServer<Variant> server;

    private FakeAnthropicApi(int port) {
        this.server = FakeServer.start("the fake Anthropic API", port, new Messages(), DEFAULT_REPLY);
    }

    /** {@return a running fake on 127.0.0.1 and a free port, answering {@link #DEFAULT_REPLY}} */
    public static FakeAnthropicApi start() {
        return start(0);
    }

    /** {@return a running fake on 127.0.0.1 and this port (0 for a free one)} */
    static FakeAnthropicApi start(int port) {
        return new FakeAnthropicApi(port);
    }

    /**
     * Runs the fake on its own until the process is killed, for benchmarks: recording off, every request
     * answered with one text reply. Options: {@code --port N} (0, the default, for a free port),
     * {@code --gap-ms N} (pause between streamed deltas, default 0), {@code --text "..."} (the reply, split
     * into about five deltas). Prints {@code listening on http://127.0.0.1:PORT} once it serves.
     */
    public static void main(String[] args) {
        FakeMain.Options options = FakeMain.options(FakeAnthropicApi.class, args);
        FakeAnthropicApi api = start(options.port()).recording(false).defaultReply(options.reply());
        FakeMain.serveUntilKilled(api.baseUrl(), api::close);
    }

    /** {@return the URL to give a client as its base URL: {@code http://127.0.0.1:PORT}, no trailing slash} */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** {@return the port the fake listens on} */
    public int port() {
        return server.port();
    }

    /** Sets the reply for requests that have no queued reply and no answer from the reply function. */
    public FakeAnthropicApi defaultReply(Reply reply) {
        server.defaultReply(reply);
        return this;
    }

    /**
     * Queues replies for the next valid requests to {@code /v1/messages}, one request each, in order
     * (requests the fake rejects with a 400 or 404 take none).
     */
    public FakeAnthropicApi enqueue(Reply... replies) {
        server.enqueue(replies);
        return this;
    }

    /**
     * Lets a function choose the reply per request, e.g. by {@link RecordedRequest#lastUserText()}; it is
     * asked when no queued reply is left and may return null for the default reply. Null removes it. It
     * runs on the request's thread, concurrently with other requests.
     */
    public FakeAnthropicApi replyWith(Function<RecordedRequest, Reply> function) {
        server.replyWith(function);
        return this;
    }

    /**
     * A {@linkplain #replyWith reply function} that answers structured-output requests with one document, as
     * a model obeying them would: a request that forces a tool ({@code tool_choice} {@code tool}, or
     * {@code any}, then its last tool) gets a {@code tool_use} of that tool with the document as input
     * (streamed as {@code input_json_delta} fragments); a request with native structured outputs
     * ({@code output_config.format}) gets the document as text, in pieces. Other requests get null: the
     * default reply.
     *
     * @param document the answer
     * @return the reply function
     */
    public static Function<RecordedRequest, Reply> structuredAnswers(JsonObject document) {
        return request -> {
            JsonObject body = request.body();
            if (body.get("tool_choice") instanceof JsonObject choice && body.get("tools") instanceof JsonArray tools
                    && !tools.isEmpty()) {
                String type = choice.getString("type", "");
                if (type.equals("tool")) {
                    return Reply.toolUse(choice.getString("name", ""), document);
                }
                if (type.equals("any")) {
                    return Reply.toolUse(tools.getJsonObject(tools.size() - 1).getString("name", ""), document);
                }
            }
            if (body.get("output_config") instanceof JsonObject config && config.containsKey("format")) {
                return Reply.text(Jsons.fragments(document.toString(), 4).stream().filter(f -> !f.isEmpty()).toList());
            }
            return null;
        };
    }

    /**
     * A {@linkplain #replyWith reply function} that plays a model obeying the request, generically, so that
     * real clients can run their tool loops and structured outputs against the fake (documents and arguments
     * from {@link FakeSchemaInstances}):
     * <ul>
     *   <li>{@code tool_choice} {@code tool}: a {@code tool_use} of that tool, whatever came before;</li>
     *   <li>with {@code tools} (and a choice other than {@code none}) and a last message that is not a tool
     *       result: a {@code tool_use} of each client tool the last user text names (only the first with
     *       {@code disable_parallel_tool_use}), else of the first client tool, with an input valid against
     *       its {@code input_schema}; a few words before the calls unless the choice forces a call
     *       ({@code any}), as the real API prefills forced calls. A structured-output tool (the gateway's
     *       {@code json_answer...}, the CLI's {@code StructuredOutput}) is not a client tool: it is called
     *       when no client tool is, e.g. after the tool results;</li>
     *   <li>native structured outputs ({@code output_config.format.schema}): the document as text, in pieces;</li>
     *   <li>after tool results: a text answer that quotes them ({@code NAME returned CONTENT}), in pieces;</li>
     *   <li>anything else: null, so the {@linkplain #defaultReply default reply}.</li>
     * </ul>
     * The CLI's tool names ({@code mcp__gw__get_weather}) count by their last part when matched to the text.
     *
     * @return the reply function
     */
    public static Function<RecordedRequest, Reply> answersLikeAModel() {
        return new ModelLikeReplies();
    }

    /** Switches recording on (the default) or off, e.g. for a benchmark that sends millions of requests. */
    public FakeAnthropicApi recording(boolean on) {
        server.recording(on);
        return this;
    }

    /** {@return the requests recorded so far, in arrival order} */
    public List<RecordedRequest> requests() {
        return server.requests();
    }

    /**
     * Waits until at least {@code count} requests are recorded.
     *
     * @return the recorded requests (possibly more than {@code count})
     * @throws AssertionError if fewer arrived within the timeout; the message lists those that did
     */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        return server.awaitRequests(count, timeout);
    }

    /** Forgets the recorded requests. Queued replies stay queued. */
    public void clearRecorded() {
        server.clearRecorded();
    }

    /** {@return how many requests arrived since start, recorded or not} */
    public long requestCount() {
        return server.requestCount();
    }

    /** Stops the server: hung and streaming replies end by dropping their connections. */
    @Override
    public void close() {
        server.close();
    }

    /** What decides a reply's bytes besides the reply. */
    private record Variant(String model, boolean stream) {
    }

    /** {@code POST /v1/messages} takes a reply; everything else is a 404, a body without a required field a 400. */
    private static final class Messages implements FakeServer.Dialect<Variant> {
        private static final Set<String> VALUE_KEYWORDS = Set.of("const", "enum", "default", "examples");

        @Override
        public ReplyPlan ownAnswer(RecordedRequest request, JsonObject body, String path) {
            if (!"POST".equals(request.method()) || !MESSAGES_PATH.equals(path)) {
                return AnthropicRenderer.error(404, "not_found_error", "Not found: " + request.method() + " " + path, Map.of());
            }
            String invalid = invalidField(body);
            return invalid == null ? null : AnthropicRenderer.error(400, "invalid_request_error", invalid, Map.of());
        }

        @Override
        public Variant variant(RecordedRequest request) {
            return new Variant(request.model(), request.stream());
        }

        @Override
        public ReplyPlan render(Reply reply, Variant variant) {
            return AnthropicRenderer.render(reply, variant.model(), variant.stream());
        }

        /** {@return the real API's message for a body that lacks a required field, or null if it has them} */
        private static String invalidField(JsonObject body) {
            if (body == null) {
                return "The request body is not valid JSON.";
            }
            if (Jsons.string(body, "model") == null) {
                return "model: Field required";
            }
            if (!(body.get("messages") instanceof JsonArray)) {
                return "messages: Field required";
            }
            if (!(body.get("max_tokens") instanceof JsonNumber maxTokens) || maxTokens.intValue() < 1) {
                return "max_tokens: Field required";
            }
            if (body.get("tools") instanceof JsonArray tools) {
                for (int i = 0; i < tools.size(); i++) {
                    if (tools.get(i) instanceof JsonObject tool && hasTupleItems(tool.get("input_schema"))) {
                        return "tools." + i + ".custom.input_schema: JSON schema is invalid. It must match JSON Schema"
                                + " draft 2020-12 (https://json-schema.org/draft/2020-12).";
                    }
                }
            }
            return null;
        }

        /**
         * {@return whether a schema uses the draft-07 tuple form {@code "items": [...]}, which the real API
         * refuses in a tool's {@code input_schema} (it validates against draft 2020-12)}
         */
        private static boolean hasTupleItems(JsonValue schema) {
            if (schema instanceof JsonArray list) {
                return list.stream().anyMatch(Messages::hasTupleItems);
            }
            if (!(schema instanceof JsonObject object)) {
                return false;
            }
            if (object.get("items") instanceof JsonArray) {
                return true;
            }
            // values, not schemas, sit under const, enum, default and examples
            return object.entrySet().stream().filter(entry -> !VALUE_KEYWORDS.contains(entry.getKey()))
                    .anyMatch(entry -> hasTupleItems(entry.getValue()));
        }
    }
}
