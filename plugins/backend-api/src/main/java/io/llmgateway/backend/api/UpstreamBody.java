package io.llmgateway.backend.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import io.helidon.webclient.api.HttpClientResponse;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/**
 * An upstream answer's body as an input stream that never blocks past the call's deadline: a read
 * still waiting then is failed with {@link DeadlinePassed} (the connection is closed under it by
 * {@link UpstreamDeadlines}). Closing the body returns the connection to the pool when the body was
 * read to its end, and closes it otherwise, which is how a call whose client went away is aborted.
 */
final class UpstreamBody extends InputStream {

    private final HttpClientResponse response;
    private final InputStream in;
    private final Instant deadline;
    private final Clock clock;
    private final UpstreamDeadlines deadlines;
    private boolean ended;

    /**
     * Wraps an answer's body. Only a chunked body (a stream) is watched for its deadline: one with a
     * length arrives right after its headers, and its reads are bounded by the request's read timeout,
     * the time left when the call started.
     */
    UpstreamBody(HttpClientResponse response, Instant deadline, Clock clock, UpstreamDeadlines deadlines) {
        this.response = response;
        this.in = response.inputStream();
        this.deadline = deadline;
        this.clock = clock;
        this.deadlines = deadlines;
        if (response.headers().contentLength().isEmpty()) {
            deadlines.watch(this, deadline);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        int count;
        try {
            count = in.read(target, offset, length);
        } catch (IOException | RuntimeException e) {
            ended = true;
            if (!clock.instant().isBefore(deadline)) {
                throw new DeadlinePassed();
            }
            throw asIOException(e);
        }
        if (count < 0) {
            ended = true;
        }
        return count;
    }

    /**
     * Reads what is left, up to a limit, as text (an error body).
     *
     * @param limit the most bytes to read
     * @return the text
     * @throws IOException when reading fails
     */
    String readText(int limit) throws IOException {
        byte[] bytes = readNBytes(limit);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads the whole body as one JSON object, to its end, so the connection goes back to the pool.
     *
     * @param json makes the reader
     * @return the object
     * @throws IOException   when the connection fails
     * @throws JsonException when the body is not a JSON object
     */
    JsonObject readJsonObject(JsonProvider json) throws IOException {
        JsonObject object;
        try (JsonReader reader = json.createReader(new FilterInputStream(this) {
            @Override
            public void close() {
                // the body is ended below, once what follows the object is drained
            }
        })) {
            object = reader.readObject();
        } catch (JsonException e) {
            if (e.getCause() instanceof IOException broken) {
                throw broken;
            }
            throw e;
        }
        byte[] rest = new byte[64];
        while (read(rest, 0, rest.length) >= 0) {
            // whitespace after the object
        }
        return object;
    }

    /** Ends the call; the connection is reused only if the body was read whole. */
    @Override
    public void close() {
        deadlines.forget(this);
        ended = true;
        response.close();
    }

    /** The deadline passed: fails a read in progress by closing the connection under it. */
    void expire() {
        response.close();
    }

    /**
     * A failure of the web client as an I/O error: it reports broken connections unchecked.
     *
     * @param failure what the client threw
     * @return the I/O error
     */
    static IOException asIOException(Exception failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        return new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
    }

    /** The call's deadline passed while waiting for the upstream. */
    static final class DeadlinePassed extends IOException {
        DeadlinePassed() {
            super("the request timed out waiting for the upstream");
        }
    }
}
