package io.llmgateway.api;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A part of a message's content.
 */
public sealed interface ContentPart {

    /**
     * Text.
     *
     * @param text the text
     */
    record Text(String text) implements ContentPart {
        /**
         * Validates.
         */
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /**
     * An image, by URL ({@code https:} or a {@code data:} URL with base64 content).
     *
     * @param url    where the image is
     * @param detail the requested detail level ({@code low}, {@code high}, {@code auto})
     */
    record Image(String url, Optional<String> detail) implements ContentPart {
        /**
         * Validates.
         */
        public Image {
            requireNonNull(url, "url is null");
            requireNonNull(detail, "detail is null");
        }
    }
}
