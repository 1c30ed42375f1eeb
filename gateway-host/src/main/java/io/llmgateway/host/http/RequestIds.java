package io.llmgateway.host.http;

import java.util.concurrent.ThreadLocalRandom;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

/**
 * Gives every response an {@code x-request-id}: the caller's, when it is a sane token, or a new one.
 */
public final class RequestIds implements Filter {

    /** The header carrying the id both ways. */
    public static final HeaderName HEADER = HeaderNames.create("x-request-id");

    private static final int MAX_LENGTH = 128;
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String id = request.headers().first(HEADER).filter(RequestIds::isSane).orElseGet(() -> "req_" + random(24));
        response.header(HEADER, id);
        chain.proceed();
    }

    /**
     * The id given to this response by the filter.
     *
     * @param response the response
     * @return the request id
     */
    public static String of(ServerResponse response) {
        return response.headers().first(HEADER).orElseGet(() -> "req_" + random(24));
    }

    /**
     * A random alphanumeric string (not for secrets: ids only need to be unique).
     *
     * @param length how many characters
     * @return the string
     */
    public static String random(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    private static boolean isSane(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
