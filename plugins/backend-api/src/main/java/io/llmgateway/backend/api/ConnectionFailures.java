package io.llmgateway.backend.api;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.helidon.common.buffers.DataReader;
import io.llmgateway.api.FailureKind;
import io.llmgateway.api.GatewayException;

/**
 * Says in words what went wrong below HTTP in a call to an upstream, for the client: it could not be
 * reached (and why), the TLS handshake failed, it closed or broke the connection before or while
 * answering, its answer was not HTTP, or the call timed out. Upstream faults are 502, timeouts 504, each with
 * the {@link FailureKind} the router acts on. The exception's own text and class never reach the client;
 * {@link #trace} puts them on one log line.
 */
final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /**
     * The client's error for a call that failed before the answer's headers arrived: {@link FailureKind#CONNECT}
     * when no byte of an answer came (refused, reset, unresolved, connecting timed out), {@link FailureKind#TIMEOUT}
     * when connected but unanswered in time, {@link FailureKind#DEPLOYMENT_BROKEN} for a certificate the gateway
     * refuses, {@link FailureKind#SERVER} for an answer that is not HTTP.
     *
     * @param upstream       {@code Anthropic} or the OpenAI-compatible upstream's name
     * @param failure        what the web client reported
     * @param connectTimeout {@code LLM_API_CONNECT_TIMEOUT}
     * @return the error
     */
    static GatewayException notAnswered(String upstream, UpstreamClient.NotAnswered failure, Duration connectTimeout) {
        Throwable cause = failure.getCause();
        if (has(cause, UnknownHostException.class)) {
            return unreachable("Cannot reach " + upstream + ": its host name does not resolve");
        }
        if (has(cause, SSLException.class)) {
            GatewayException error = badGateway("The TLS handshake with " + upstream + " failed: " + tlsProblem(cause));
            // a certificate the gateway refuses stays refused: only the operator can change that
            return error.withFailureKind(has(cause, CertificateException.class) || has(cause, CertPathBuilderException.class)
                                                 ? FailureKind.DEPLOYMENT_BROKEN : FailureKind.CONNECT);
        }
        if (cause instanceof SocketTimeoutException) {
            return failure.connected()
                    ? GatewayException.timeout(sentence(upstream) + " did not answer in time")
                            .withFailureKind(FailureKind.TIMEOUT)
                    : GatewayException.timeout("Cannot reach " + upstream + ": connecting timed out after "
                                                       + seconds(connectTimeout) + " (LLM_API_CONNECT_TIMEOUT)")
                            .withFailureKind(FailureKind.CONNECT);
        }
        if (cause instanceof NoRouteToHostException) {
            return unreachable("Cannot reach " + upstream + ": no route to its host");
        }
        if (cause instanceof ConnectException) {
            return unreachable("Cannot reach " + upstream + ": " + connectProblem(cause));
        }
        if (closed(cause)) {
            return unreachable(sentence(upstream) + " closed the connection without answering");
        }
        if (cause instanceof SocketException) {
            return unreachable("The connection to " + upstream + " broke before it answered");
        }
        if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
            // the web client's HTTP parser reports a status line or header it cannot read so
            return badGateway(sentence(upstream) + " answered something that is not HTTP");
        }
        return unreachable("The call to " + upstream + " failed before it answered");
    }

    /**
     * The client's error for a connection that failed while the answer's body was being read
     * ({@link FailureKind#SERVER}: the upstream answered, then broke).
     *
     * @param upstream {@code Anthropic} or the OpenAI-compatible upstream's name
     * @param failure  what reading reported
     * @param reader   what had been read of the answer
     * @return the error
     */
    static GatewayException broken(String upstream, Throwable failure, UpstreamCall.AnswerReader reader) {
        boolean stream = reader.streamed();
        String after = events(reader.events());
        if (closed(failure)) {
            return badGateway(stream
                    ? "The connection to " + upstream + " closed after " + after + " of the stream, before its end"
                    : "The connection to " + upstream + " closed in the middle of its answer");
        }
        if (has(failure, SocketException.class)) {
            return badGateway(stream
                    ? "The connection to " + upstream + " broke after " + after + " of the stream, before its end"
                    : "The connection to " + upstream + " broke in the middle of its answer");
        }
        if (has(failure, IllegalArgumentException.class) || has(failure, IllegalStateException.class)) {
            return badGateway(sentence(upstream) + " broke the HTTP framing of its answer"
                                      + (stream ? " after " + after : ""));
        }
        return badGateway("Reading the answer of " + upstream + " failed" + (stream ? " after " + after : ""));
    }

    /**
     * The client's error for a call that ran past its deadline ({@link FailureKind#TIMEOUT}).
     *
     * @param upstream {@code Anthropic} or the OpenAI-compatible upstream's name
     * @param reader   what had been read of the answer, or null when no answer had arrived
     * @return the error
     */
    static GatewayException timedOut(String upstream, UpstreamCall.AnswerReader reader) {
        if (reader == null) {
            return GatewayException.timeout(sentence(upstream) + " did not answer within the request timeout"
                                                    + " (LLM_REQUEST_TIMEOUT)").withFailureKind(FailureKind.TIMEOUT);
        }
        return GatewayException.timeout(reader.streamed()
                ? "The stream from " + upstream + " stalled after " + events(reader.events())
                        + " until the request timed out (LLM_REQUEST_TIMEOUT)"
                : sentence(upstream) + " did not finish its answer within the request timeout (LLM_REQUEST_TIMEOUT)")
                .withFailureKind(FailureKind.TIMEOUT);
    }

    /**
     * An exception and its causes on one line, for the gateway's log (never for clients).
     *
     * @param failure the exception
     * @return {@code class: message <- class: message ...}
     */
    static String trace(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (!line.isEmpty()) {
                line.append(" <- ");
            }
            line.append(cause.getClass().getName());
            if (cause.getMessage() != null) {
                line.append(": ").append(cause.getMessage().replaceAll("\\s+", " "));
            }
        }
        return line.toString();
    }

    /** {@code 1 event}, {@code 3 events}. */
    static String events(int count) {
        return count + (count == 1 ? " event" : " events");
    }

    private static String tlsProblem(Throwable cause) {
        if (has(cause, CertificateExpiredException.class)) {
            return "its certificate has expired";
        }
        if (has(cause, CertPathBuilderException.class)) {
            return "its certificate is not signed by an authority the gateway trusts";
        }
        if (has(cause, CertificateException.class)) {
            return "its certificate was rejected";
        }
        if (has(cause, SSLHandshakeException.class)) {
            return "the two sides agreed on no protocol version or cipher, or it refused the gateway";
        }
        return "its answer is not TLS (is it plain HTTP?)";
    }

    private static String connectProblem(Throwable cause) {
        String jdk = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (jdk.contains("refused")) {
            return "connection refused";
        }
        if (jdk.contains("unreachable")) {
            return "its network is unreachable";
        }
        if (jdk.contains("timed out")) {
            return "connecting timed out";
        }
        return "the connection could not be made";
    }

    /** Whether the peer closed the connection: the web client reports an early end as insufficient data. */
    private static boolean closed(Throwable failure) {
        return has(failure, DataReader.InsufficientDataAvailableException.class) || has(failure, EOFException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String sentence(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The upstream answered something unusable, or broke its answer. */
    private static GatewayException badGateway(String message) {
        return GatewayException.badGateway(message).withFailureKind(FailureKind.SERVER);
    }

    /** No byte of an answer came: nothing was served, so another upstream may serve it at once. */
    private static GatewayException unreachable(String message) {
        return GatewayException.badGateway(message).withFailureKind(FailureKind.CONNECT);
    }
}
