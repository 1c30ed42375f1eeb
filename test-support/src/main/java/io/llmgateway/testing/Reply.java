package io.llmgateway.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonObject;

/**
 * What a fake API answers to one request: a successful answer (text or tool calls) or one of the failures
 * a client of the real API must survive. The same reply serves {@link FakeAnthropicApi} and
 * {@link FakeOpenAiApi}, each rendering it in its own API's terms, and both modes: with
 * {@code "stream": true} in the request it is sent as server-sent events, otherwise as one JSON body.
 *
 * <p>Replies are immutable values; build them with the static factories and the {@code with...}
 * methods, e.g. {@code Reply.text("Hel", "lo").withGap(Duration.ofMillis(50))} or
 * {@code Reply.rateLimited(3)}. One reply object may be used for any number of requests (the fake
 * renders each reply once per model and mode and reuses the bytes).
 *
 * <p>The records speak the Anthropic API's vocabulary, which {@link FakeOpenAiApi} translates:
 * <table>
 *   <caption>How the OpenAI fake renders a reply's Anthropic terms</caption>
 *   <tr><th>reply</th><th>OpenAI</th></tr>
 *   <tr><td>stop reason {@code end_turn}, {@code stop_sequence}; {@code max_tokens}; a {@link ToolUse}</td>
 *       <td>{@code finish_reason} {@code stop}; {@code length}; {@code tool_calls}
 *       ({@link Text#withFinishReason} takes OpenAI's names)</td></tr>
 *   <tr><td>{@link Usage}</td><td>{@code prompt_tokens} = input + cache read + cache creation tokens,
 *       {@code completion_tokens} = output tokens, {@code prompt_tokens_details.cached_tokens} = cache read
 *       tokens</td></tr>
 *   <tr><td>{@link HttpError#type()}, {@link StreamError#type()}</td><td>OpenAI's {@code type} and
 *       {@code code} for the same failure (see {@link FakeOpenAiApi}); {@link HttpError#code()} and
 *       {@link HttpError#param()} are OpenAI's own fields</td></tr>
 *   <tr><td>{@link ToolUse}: text and calls</td><td>{@code content} (null when empty) and
 *       {@code tool_calls} of type {@code function}, the input as the {@code arguments} string</td></tr>
 *   <tr><td>{@link Text#pings()}</td><td>ignored</td></tr>
 * </table>
 */
public sealed interface Reply
        permits Reply.Text, Reply.ToolUse, Reply.HttpError, Reply.StreamError, Reply.Cut, Reply.Hang, Reply.Drop,
        Reply.Malformed {

    /** Stop reasons a {@link Text} reply may end with. */
    Set<String> TEXT_STOP_REASONS = Set.of("end_turn", "max_tokens", "stop_sequence");

    /**
     * A text answer: the deltas are streamed one {@code text_delta} (Anthropic) or one content chunk
     * (OpenAI) each, in order.
     *
     * @param deltas       the text in the pieces it is streamed in; joined for a non-streamed answer
     * @param gap          pause between two deltas of a stream ({@link Duration#ZERO} for none)
     * @param stopReason   {@code end_turn}, {@code max_tokens} or {@code stop_sequence}
     * @param stopSequence the matched stop sequence (only with {@code stop_reason} {@code stop_sequence})
     * @param usage        token counts reported in {@code message_start}, {@code message_delta} and the
     *                     JSON body (OpenAI: the {@code usage} of the body or of the stream's usage chunk)
     * @param pings        whether the stream carries a {@code ping} event after the first content block
     *                     starts, as the real API's streams do
     */
    record Text(List<String> deltas, Duration gap, String stopReason, String stopSequence, Usage usage, boolean pings)
            implements Reply {
        public Text {
            deltas = List.copyOf(deltas);
            Objects.requireNonNull(gap, "gap");
            Objects.requireNonNull(usage, "usage");
            if (!TEXT_STOP_REASONS.contains(stopReason)) {
                throw new IllegalArgumentException("stop reason must be one of " + TEXT_STOP_REASONS + ": " + stopReason);
            }
            if (gap.isNegative()) {
                throw new IllegalArgumentException("negative gap: " + gap);
            }
        }

        /** {@return the whole text, the deltas joined} */
        public String text() {
            return String.join("", deltas);
        }

        /** {@return this reply with a pause between two streamed deltas} */
        public Text withGap(Duration gap) {
            return new Text(deltas, gap, stopReason, stopSequence, usage, pings);
        }

        /** {@return this reply ending with {@code end_turn} or {@code max_tokens}} */
        public Text withStopReason(String stopReason) {
            return new Text(deltas, gap, stopReason, null, usage, pings);
        }

        /** {@return this reply ending with {@code stop_reason} {@code stop_sequence} because of {@code sequence}} */
        public Text withStopSequence(String sequence) {
            return new Text(deltas, gap, "stop_sequence", Objects.requireNonNull(sequence), usage, pings);
        }

        /** {@return this reply reporting these token counts} */
        public Text withUsage(Usage usage) {
            return new Text(deltas, gap, stopReason, stopSequence, usage, pings);
        }

        /**
         * {@return this reply ending with OpenAI's {@code finish_reason}: {@code stop} (stop reason
         * {@code end_turn}) or {@code length} ({@code max_tokens})}
         */
        public Text withFinishReason(String finishReason) {
            return switch (finishReason) {
                case "stop" -> withStopReason("end_turn");
                case "length" -> withStopReason("max_tokens");
                default -> throw new IllegalArgumentException("finish reason must be stop or length: " + finishReason);
            };
        }

        /** {@return this reply with or without a {@code ping} event in its stream (Anthropic only)} */
        public Text withPings(boolean pings) {
            return new Text(deltas, gap, stopReason, stopSequence, usage, pings);
        }
    }

    /**
     * A tool-use answer: an optional text block, then one {@code tool_use} block per call; the stop reason
     * is {@code tool_use}. Streamed, each call's input arrives as a few {@code input_json_delta} fragments.
     *
     * @param text  the text before the calls; empty for none
     * @param calls the tool calls, at least one
     * @param usage token counts
     */
    record ToolUse(String text, List<ToolCall> calls, Usage usage) implements Reply {
        public ToolUse {
            Objects.requireNonNull(text, "text");
            calls = List.copyOf(calls);
            Objects.requireNonNull(usage, "usage");
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("a tool-use reply needs at least one call");
            }
        }

        /** {@return this reply reporting these token counts} */
        public ToolUse withUsage(Usage usage) {
            return new ToolUse(text, calls, usage);
        }
    }

    /**
     * One tool call: a {@code tool_use} content block (Anthropic) or a {@code function} tool call (OpenAI).
     *
     * @param id    the call's id ({@code toolu_...}, OpenAI's {@code call_...}) the client echoes in its
     *              {@code tool_result} block or {@code tool} message
     * @param name  the tool's name
     * @param input the arguments (OpenAI: sent as the JSON text of {@code arguments})
     */
    record ToolCall(String id, String name, JsonObject input) {
        private static final AtomicInteger IDS = new AtomicInteger();

        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
        }

        /** {@return a call with a new unique id ({@code toolu_fake_0001}, ...)} */
        public static ToolCall of(String name, JsonObject input) {
            return new ToolCall("toolu_fake_%04d".formatted(IDS.incrementAndGet()), name, input);
        }
    }

    /**
     * An HTTP error before any byte of the answer: the status, the API's error body and extra headers. The
     * Anthropic fake sends {@code {"type":"error","error":{"type":...,"message":...}}}, the OpenAI fake
     * {@code {"error":{"message":...,"type":...,"param":...,"code":...}}}.
     *
     * @param status  the HTTP status
     * @param type    the Anthropic error type, e.g. {@code rate_limit_error} (the OpenAI fake translates it)
     * @param message the error message
     * @param headers extra response headers (lower-case names), e.g. {@code retry-after}
     * @param code    OpenAI's {@code code}, e.g. {@code rate_limit_exceeded}, or null for the one that goes
     *                with the type; the Anthropic fake ignores it
     * @param param   OpenAI's {@code param}, the request field at fault, or null; the Anthropic fake ignores it
     */
    record HttpError(int status, String type, String message, Map<String, String> headers, String code, String param)
            implements Reply {
        public HttpError {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            headers = Map.copyOf(headers);
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
        }

        /** An error without OpenAI's {@code code} and {@code param}. */
        public HttpError(int status, String type, String message, Map<String, String> headers) {
            this(status, type, message, headers, null, null);
        }

        /** {@return this error with another message} */
        public HttpError withMessage(String message) {
            return new HttpError(status, type, message, headers, code, param);
        }

        /** {@return this error with one more response header} */
        public HttpError withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name.toLowerCase(Locale.ROOT), value);
            return new HttpError(status, type, message, more, code, param);
        }

        /** {@return this error with OpenAI's {@code code}} */
        public HttpError withCode(String code) {
            return new HttpError(status, type, message, headers, code, param);
        }

        /** {@return this error with OpenAI's {@code param}, the request field at fault} */
        public HttpError withParam(String param) {
            return new HttpError(status, type, message, headers, code, param);
        }
    }

    /**
     * A stream that fails after it started: the usual opening events and these text deltas, then an error
     * event ({@code event: error} from the Anthropic fake, {@code data: {"error":...}} from the OpenAI fake)
     * with the given error, then the end of the response (no {@code [DONE]}). A non-streamed request,
     * which has no stream to fail, gets the error as an HTTP error (529 for {@code overloaded_error}, the
     * API's status for the other types).
     *
     * @param deltas  text deltas sent before the error
     * @param type    the error type, e.g. {@code overloaded_error}
     * @param message the error message
     */
    record StreamError(List<String> deltas, String type, String message) implements Reply {
        public StreamError {
            deltas = List.copyOf(deltas);
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A connection dropped mid-answer: a stream's opening events and these deltas, then the TCP
     * connection is closed without {@code message_stop} (OpenAI: {@code [DONE]}) or the chunked-encoding
     * terminator. A non-streamed request gets the response headers and half of its body before the
     * connection drops.
     *
     * @param deltas text deltas sent before the connection is closed
     */
    record Cut(List<String> deltas) implements Reply {
        public Cut {
            deltas = List.copyOf(deltas);
        }
    }

    /**
     * No answer at all: the request is read and nothing is ever sent, not even the status line, until the
     * fake is closed (then the connection is dropped). For testing timeouts. The JDK server cannot see a
     * client that gives up on a hung request, so {@link RecordedRequest#clientDisconnected()} stays false.
     */
    record Hang() implements Reply {
    }

    /**
     * A connection closed before any answer: the request is read, then the TCP connection is closed without
     * a status line, as by an upstream that crashed or a proxy that gave up on it.
     */
    record Drop() implements Reply {
    }

    /**
     * A 200 whose body is not what it claims to be: for a streamed request a {@code text/event-stream}
     * whose first event's data is broken JSON, otherwise an {@code application/json} body that is not
     * JSON.
     *
     * @param body the body to send instead of the built-in one, or null for the built-in one
     */
    record Malformed(String body) implements Reply {
    }

    /**
     * Token counts as the API reports them.
     *
     * @param inputTokens              {@code input_tokens}
     * @param outputTokens             {@code output_tokens}
     * @param cacheReadInputTokens     {@code cache_read_input_tokens}
     * @param cacheCreationInputTokens {@code cache_creation_input_tokens}
     */
    record Usage(int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheCreationInputTokens) {
        public Usage {
            if (inputTokens < 0 || outputTokens < 0 || cacheReadInputTokens < 0 || cacheCreationInputTokens < 0) {
                throw new IllegalArgumentException("negative token count");
            }
        }

        /** {@return input and output counts without prompt caching} */
        public static Usage of(int inputTokens, int outputTokens) {
            return new Usage(inputTokens, outputTokens, 0, 0);
        }
    }

    /** Input tokens reported when a factory is not told otherwise. */
    int DEFAULT_INPUT_TOKENS = 10;

    /**
     * {@return a text answer streamed as these deltas, ending with {@code end_turn}, with no gap and no
     * ping; it reports {@value #DEFAULT_INPUT_TOKENS} input tokens and one output token per delta}
     */
    static Text text(String... deltas) {
        return text(List.of(deltas));
    }

    /** {@return a text answer streamed as these deltas (see {@link #text(String...)})} */
    static Text text(List<String> deltas) {
        return new Text(deltas, Duration.ZERO, "end_turn", null, Usage.of(DEFAULT_INPUT_TOKENS, deltas.size()), false);
    }

    /** {@return a tool-use answer with one call of the named tool, without text} */
    static ToolUse toolUse(String name, JsonObject input) {
        return toolUse("", ToolCall.of(name, input));
    }

    /** {@return a tool-use answer: a text block (unless empty), then the calls} */
    static ToolUse toolUse(String text, ToolCall... calls) {
        return new ToolUse(text, List.of(calls), Usage.of(DEFAULT_INPUT_TOKENS, 1 + calls.length * 10));
    }

    /** {@return an HTTP error with the API's error body; {@code type} is an Anthropic error type} */
    static HttpError error(int status, String type, String message) {
        return new HttpError(status, type, message, Map.of());
    }

    /** {@return a 400 {@code invalid_request_error}} */
    static HttpError invalidRequest(String message) {
        return error(400, "invalid_request_error", message);
    }

    /** {@return a 401 {@code authentication_error}, as for a wrong API key} */
    static HttpError authenticationError() {
        return error(401, "authentication_error", "invalid x-api-key");
    }

    /** {@return a 429 {@code rate_limit_error} with a {@code retry-after} header} */
    static HttpError rateLimited(int retryAfterSeconds) {
        return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
                .withHeader("retry-after", Integer.toString(retryAfterSeconds));
    }

    /** {@return a 500 {@code api_error}} */
    static HttpError apiError() {
        return error(500, "api_error", "Internal server error");
    }

    /** {@return a 529 {@code overloaded_error}} */
    static HttpError overloaded() {
        return error(529, "overloaded_error", "Overloaded");
    }

    /** {@return a stream that sends these deltas, then an {@code overloaded_error} error event} */
    static StreamError streamError(String... deltasBefore) {
        return new StreamError(List.of(deltasBefore), "overloaded_error", "Overloaded");
    }

    /** {@return an answer whose connection is dropped after these deltas} */
    static Cut cut(String... deltasBefore) {
        return new Cut(List.of(deltasBefore));
    }

    /** {@return a request that is never answered} */
    static Hang hang() {
        return new Hang();
    }

    /** {@return a request whose connection is closed without an answer} */
    static Drop drop() {
        return new Drop();
    }

    /** {@return a 200 with a broken body} */
    static Malformed malformed() {
        return new Malformed(null);
    }

    /** {@return a 200 with this body, whatever was asked for} */
    static Malformed malformed(String body) {
        return new Malformed(body);
    }
}
