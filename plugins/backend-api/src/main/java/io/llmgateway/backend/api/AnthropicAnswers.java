package io.llmgateway.backend.api;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

import io.llmgateway.anthropic.AnthropicMessage;
import io.llmgateway.anthropic.AnthropicStream;
import io.llmgateway.api.ChatSink;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/**
 * Reads an Anthropic answer off the wire, a whole message ({@link #readMessage}) or a stream of server-sent
 * events ({@link #readStream}) translated event by event as they arrive, and hands it to the shared mapping
 * ({@link AnthropicMessage}, {@link AnthropicStream}). It owns what is HTTP's: parsing, a stream that ends
 * before {@code message_stop}, an {@code error} event as a broken answer (classified by its error type). No delta
 * leaves before the answer has begun: {@code message_start} and {@code ping} emit nothing, so a stream that fails
 * right after them fails before the first delta.
 */
final class AnthropicAnswers implements UpstreamCall.AnswerReader {

    private static final JsonProvider JSON = JsonProvider.provider();

    private final ChatSink sink;
    private final boolean stream;
    private final Optional<String> answerTool;
    private SseReader events;

    AnthropicAnswers(ChatSink sink, boolean stream) {
        this(sink, stream, Optional.empty());
    }

    /** An answer in which the input of the tool {@code answerTool} is the answer's text (a response format). */
    AnthropicAnswers(ChatSink sink, boolean stream, Optional<String> answerTool) {
        this.sink = sink;
        this.stream = stream;
        this.answerTool = answerTool;
    }

    @Override
    public void read(UpstreamBody body) throws IOException {
        if (stream) {
            readStream(new SseReader(body));
        } else {
            JsonObject message;
            try {
                message = body.readJsonObject(JSON);
            } catch (RuntimeException e) {
                throw malformed("a body that is not JSON");
            }
            readMessage(message);
        }
    }

    @Override
    public boolean streamed() {
        return stream;
    }

    @Override
    public int events() {
        return events == null ? 0 : events.events();
    }

    /** A whole (non-streamed) message. */
    void readMessage(JsonObject message) {
        AnthropicMessage.read(message, sink, answerTool);
    }

    /** A stream of events, ending with {@code message_stop}. */
    void readStream(SseReader events) throws IOException {
        this.events = events;
        AnthropicStream translation = new AnthropicStream(sink, answerTool);
        Optional<SseReader.Event> next;
        while ((next = events.next()).isPresent()) {
            SseReader.Event event = next.get();
            if (event.name().equals("ping") || event.data().isEmpty()) {
                continue;
            }
            JsonObject data = parse(event.data(), events.events());
            if (!data.containsKey("type")) {
                data = JSON.createObjectBuilder(data).add("type", event.name()).build();
            }
            switch (translation.accept(data)) {
                case AnthropicStream.Step.More more -> {
                    // the message goes on
                }
                case AnthropicStream.Step.Ended ended -> {
                    translation.finish();
                    return;
                }
                case AnthropicStream.Step.Failed failed -> throw failed.error();
            }
        }
        throw GatewayException.badGateway("The stream from Anthropic ended after "
                                                  + ConnectionFailures.events(events.events()) + ", before message_stop")
                .withFailureKind(FailureKind.SERVER);
    }

    private static JsonObject parse(String json, int event) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw malformed("an event that is not JSON (event " + event + " of the stream)");
        }
    }

    private static GatewayException malformed(String what) {
        return GatewayException.badGateway("Anthropic answered " + what).withFailureKind(FailureKind.SERVER);
    }
}
