package io.llmgateway.anthropic;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * JSON text as objects, for tests.
 */
final class Jsons {

    private Jsons() {
    }

    static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
