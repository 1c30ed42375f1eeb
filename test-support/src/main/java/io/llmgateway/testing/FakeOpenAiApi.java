package io.llmgateway.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.llmgateway.testing.OpenAiRenderer.Variant;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A fake of an OpenAI-compatible chat completions API on loopback (what OpenAI, vLLM or Ollama serve), for
 * tests and benchmarks of code that calls one, such as the gateway's {@code api} backend. Its shape is
 * {@link FakeAnthropicApi}'s, and it takes the same {@link Reply}s, rendered in OpenAI's terms.
 *
 * <p>It serves, under {@link #baseUrl()} (clients append {@code /v1/...}):
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: a {@code chat.completion} (with {@code logprobs} when the request
 *       asks for {@code "logprobs": true}: one entry per delta, each of a fixed {@code logprob}), or with
 *       {@code "stream": true} a {@code text/event-stream} of {@code chat.completion.chunk}s, flushed one by
 *       one: the role with empty content, one chunk per content delta, the tool-call chunks (index, id, type
 *       and name, then the arguments in fragments), a chunk with the {@code finish_reason}, with
 *       {@code stream_options.include_usage} a chunk with empty {@code choices} and the {@code usage} (and
 *       {@code "usage":null} in all the others), then {@code data: [DONE]}. The answer's {@code model} is the
 *       request's.</li>
 *   <li>{@code GET /v1/models}: {@code {"object":"list","data":[...]}} of the {@linkplain #models models},
 *       and {@code GET /v1/models/{id}} one of them (a 404 {@code model_not_found} for others). Chat requests
 *       may name any model.</li>
 *   <li>Anything else: a 404 {@code Invalid URL (METHOD /path)}.</li>
 * </ul>
 * Every error body is OpenAI's {@code {"error":{"message","type","param","code"}}}. A chat request gets, in
 * this order of precedence: the next {@linkplain #enqueue queued} reply, else what the
 * {@linkplain #replyWith reply function} returns (unless null), else the {@linkplain #defaultReply default
 * reply}. A body that is not JSON, or lacks {@code model} or {@code messages}, gets a 400 like OpenAI's;
 * with a {@linkplain #requireKey key required}, a request without {@code Authorization: Bearer KEY} gets a
 * 401. Every request, answered or not, is {@linkplain #requests() recorded} unless recording is switched
 * off.
 *
 * <p>A reply's Anthropic terms become OpenAI's (see {@link Reply}); its error types become these
 * {@code type} / {@code code} pairs: {@code invalid_request_error}, {@code not_found_error},
 * {@code permission_error}, {@code request_too_large}: {@code invalid_request_error} / null;
 * {@code authentication_error}: {@code invalid_request_error} / {@code invalid_api_key};
 * {@code rate_limit_error}: {@code requests} / {@code rate_limit_exceeded}; {@code api_error},
 * {@code overloaded_error}: {@code server_error} / null; any other type is sent as it is.
 * {@link Reply.HttpError#withCode} and {@link Reply.HttpError#withParam} set {@code code} and
 * {@code param}. A stream that fails sends {@code data: {"error":...}} and ends without {@code [DONE]}.
 *
 * <p>It runs on the same server as {@link FakeAnthropicApi} (the JDK's {@code HttpServer}, one virtual
 * thread per exchange, replies rendered to bytes once per model and mode), so it serves tens of thousands of
 * requests a second with recording off. {@link #main} runs it on its own, for benchmarks.
 *
 * <pre>{@code
 * try (FakeOpenAiApi api = FakeOpenAiApi.start().requireKey("sk-test")) {
 *     api.enqueue(Reply.text("Hi", " there"), Reply.rateLimited(2));
 *     ... point the client at api.baseUrl() + "/v1" ...
 *     assertEquals("Say hi", api.awaitRequests(1, Duration.ofSeconds(5)).getFirst().lastUserText());
 * }
 * }</pre>
 */
public final class FakeOpenAiApi implements AutoCloseable {
    /** The reply when nothing else is set: four text deltas. */
    public static final Reply.Text DEFAULT_REPLY = Reply.text("Hello", " from", " the fake", " OpenAI API.");
    /** The models listed when nothing else is set. */
    public static final List<String> DEFAULT_MODELS = List.of("gpt-4o-mini", "llama-3.1-8b");
    /** The {@code owned_by} of every listed model. */
    public static final String OWNED_BY = "fake";

    private static final String CHAT_PATH = "/v1/chat/completions";
    private static final String MODELS_PATH = "/v1/models";
    /** The {@code created} of every listed model: a fixed time, 2024-01-01. */
    private static final long MODELS_CREATED = 1_704_067_200L;

    private final FakeServer<Variant> server;
    private volatile List<String> models = DEFAULT_MODELS;
    private volatile ReplyPlan modelList = modelList(DEFAULT_MODELS);
    private volatile String requiredKey;

    private FakeOpenAiApi(int port) {
        this.server = FakeServer.start("the fake OpenAI API", port, new ChatCompletions(), DEFAULT_REPLY);
    }

    /** {@return a running fake on 127.0.0.1 and a free port, answering {@link #DEFAULT_REPLY}} */
    public static FakeOpenAiApi start() {
        return start(0);
    }

    /** {@return a running fake on 127.0.0.1 and this port (0 for a free one)} */
    static FakeOpenAiApi start(int port) {
        return new FakeOpenAiApi(port);
    }

    /**
     * Runs the fake on its own until the process is killed, for benchmarks: recording off, every chat
     * request answered with one text reply. Options: {@code --port N} (0, the default, for a free port),
     * {@code --gap-ms N} (pause between streamed deltas, default 0), {@code --text "..."} (the reply, split
     * into about five deltas). Prints {@code listening on http://127.0.0.1:PORT} once it serves.
     */
    public static void main(String[] args) {
        FakeMain.Options options = FakeMain.options(FakeOpenAiApi.class, args);
        FakeOpenAiApi api = start(options.port()).recording(false).defaultReply(options.reply());
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

    /** Sets the models {@code GET /v1/models} lists ({@link #DEFAULT_MODELS} until then). */
    public FakeOpenAiApi models(String... ids) {
        return models(List.of(ids));
    }

    /** Sets the models {@code GET /v1/models} lists ({@link #DEFAULT_MODELS} until then). */
    public FakeOpenAiApi models(List<String> ids) {
        List<String> copy = List.copyOf(ids);
        this.modelList = modelList(copy);
        this.models = copy;
        return this;
    }

    /**
     * Requires {@code Authorization: Bearer <key>} on every request from now on, answering others with
     * OpenAI's 401; null requires nothing (the default).
     */
    public FakeOpenAiApi requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Sets the reply for requests that have no queued reply and no answer from the reply function. */
    public FakeOpenAiApi defaultReply(Reply reply) {
        server.defaultReply(reply);
        return this;
    }

    /**
     * Queues replies for the next valid requests to {@code /v1/chat/completions}, one request each, in order
     * (requests the fake answers on its own, with a model list or a 400, 401 or 404, take none).
     */
    public FakeOpenAiApi enqueue(Reply... replies) {
        server.enqueue(replies);
        return this;
    }

    /**
     * Lets a function choose the reply per request, e.g. by {@link RecordedRequest#lastUserText()}; it is
     * asked when no queued reply is left and may return null for the default reply. Null removes it. It
     * runs on the request's thread, concurrently with other requests.
     */
    public FakeOpenAiApi replyWith(Function<RecordedRequest, Reply> function) {
        server.replyWith(function);
        return this;
    }

    /** Switches recording on (the default) or off, e.g. for a benchmark that sends millions of requests. */
    public FakeOpenAiApi recording(boolean on) {
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

    private static ReplyPlan modelList(List<String> ids) {
        return ReplyPlan.json(200, OpenAiBodies.modelList(ids, MODELS_CREATED, OWNED_BY), Map.of());
    }

    private static ReplyPlan error(int status, String message, String param, String code) {
        return ReplyPlan.json(status, OpenAiBodies.error(message, "invalid_request_error", param, code), Map.of());
    }

    /**
     * {@code POST /v1/chat/completions} takes a reply; the fake answers the model routes, missing keys,
     * invalid bodies and unknown paths on its own.
     */
    private final class ChatCompletions implements FakeServer.Dialect<Variant> {
        @Override
        public ReplyPlan ownAnswer(RecordedRequest request, JsonObject body, String path) {
            ReplyPlan unauthorized = unauthorized(request.header("authorization"));
            if (unauthorized != null) {
                return unauthorized;
            }
            String method = request.method();
            if ("POST".equals(method) && CHAT_PATH.equals(path)) {
                return invalidBody(body);
            }
            if ("GET".equals(method) && MODELS_PATH.equals(path)) {
                return modelList;
            }
            if ("GET".equals(method) && path.startsWith(MODELS_PATH + "/")) {
                String id = path.substring(MODELS_PATH.length() + 1);
                return models.contains(id)
                        ? ReplyPlan.json(200, OpenAiBodies.model(id, MODELS_CREATED, OWNED_BY), Map.of())
                        : error(404, "The model `" + id + "` does not exist or you do not have access to it.", null,
                                "model_not_found");
            }
            return error(404, "Invalid URL (" + method + " " + path + ")", null, null);
        }

        @Override
        public Variant variant(RecordedRequest request) {
            JsonObject body = request.body();
            boolean stream = request.stream();
            return new Variant(request.model(), stream, body.get("logprobs") == JsonValue.TRUE,
                    stream && body.get("stream_options") instanceof JsonObject options
                            && options.get("include_usage") == JsonValue.TRUE);
        }

        @Override
        public ReplyPlan render(Reply reply, Variant variant) {
            return OpenAiRenderer.render(reply, variant);
        }

        /** {@return OpenAI's 401 for a missing or wrong key, or null if the key is right or none is required} */
        private ReplyPlan unauthorized(String authorization) {
            String key = requiredKey;
            if (key == null) {
                return null;
            }
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return error(401, "You didn't provide an API key. You need to provide your API key in an Authorization"
                        + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null, null);
            }
            String given = authorization.substring(7).trim();
            return given.equals(key) ? null
                    : error(401, "Incorrect API key provided: " + masked(given) + ".", null, "invalid_api_key");
        }

        /** {@return OpenAI's 400 for a body without a required field, or null if it has them} */
        private static ReplyPlan invalidBody(JsonObject body) {
            if (body == null) {
                return error(400, "We could not parse the JSON body of your request. (HINT: This likely means you"
                        + " aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
                        + " was sent was not valid JSON.)", null, null);
            }
            if (Jsons.string(body, "model") == null) {
                return error(400, "you must provide a model parameter", null, null);
            }
            if (!(body.get("messages") instanceof JsonArray)) {
                return error(400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
            }
            return null;
        }

        /** {@return the key as OpenAI shows a wrong one: its start and end only} */
        private static String masked(String key) {
            return key.length() <= 8 ? "*".repeat(key.length())
                    : key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
        }
    }
}
