package io.llmgateway.backend.mock;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.ContentPart;
import io.llmgateway.api.GatewayException;

/**
 * What the mock says about an image it was shown: a {@code data:} URL's media type and size (so a client
 * sees its image arrived whole), or the address of a linked one. A {@code data:} URL that is not base64
 * is refused, as OpenAI refuses it.
 */
final class Images {

    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]*)((?:;[^;,]*)*),(.*)", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int URL_LIMIT = 100;

    private Images() {
    }

    /**
     * A short description.
     *
     * @param image the image
     * @param param where it is in the request, such as {@code messages[0].content[1].image_url.url}
     * @return for example {@code image/png, 68 bytes}
     * @throws GatewayException 400 when a {@code data:} URL is malformed
     */
    static String describe(ContentPart.Image image, String param) {
        String url = image.url();
        if (!url.startsWith("data:")) {
            return url.length() > URL_LIMIT ? url.substring(0, URL_LIMIT) + "..." : url;
        }
        Matcher matcher = DATA_URL.matcher(url);
        if (!matcher.matches() || !matcher.group(2).endsWith(";base64")) {
            throw GatewayException.invalidRequest("'" + param + "' must be a base64 data URL: data:image/png;base64,...",
                                                  param);
        }
        try {
            int bytes = Base64.getDecoder().decode(WHITESPACE.matcher(matcher.group(3)).replaceAll("")).length;
            String type = matcher.group(1).isEmpty() ? "text/plain" : matcher.group(1);
            return type + ", " + bytes + " bytes";
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalidRequest("'" + param + "': the image's base64 data is malformed", param);
        }
    }
}
