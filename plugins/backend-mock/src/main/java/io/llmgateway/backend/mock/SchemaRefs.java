package io.llmgateway.backend.mock;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.llmgateway.api.GatewayException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Resolves {@code $ref}s within one schema document: {@code #}, JSON pointers such as
 * {@code #/$defs/Address} or {@code #/definitions/Address} (as pydantic and zod emit them) and
 * {@code $anchor}s. References to other documents are refused: the mock fetches nothing.
 *
 * @param root  the whole schema document
 * @param param where the document sits in the request, such as {@code response_format.json_schema.schema}
 */
record SchemaRefs(JsonValue root, String param) {

    /**
     * The schema a reference points to.
     *
     * @param ref      the reference
     * @param refParam where the reference is, for the error
     * @return the target and its place in the request
     * @throws GatewayException 400 when it points outside the document or at nothing
     */
    SchemaNode resolve(String ref, String refParam) {
        if (ref.equals("#")) {
            return new SchemaNode(root, param);
        }
        if (ref.startsWith("#/")) {
            return pointer(ref.substring(2), refParam);
        }
        if (ref.startsWith("#") && ref.length() > 1) {
            return anchor(root, ref.substring(1), param).orElseThrow(
                    () -> GatewayException.invalidRequest("'" + refParam + "': the anchor '" + ref
                                                                  + "' is not defined in the schema", refParam));
        }
        throw GatewayException.invalidRequest("'" + refParam + "': '" + ref + "' refers outside the schema; only references"
                                                      + " within it (#, #/$defs/..., #/definitions/...) are supported",
                                              refParam);
    }

    private SchemaNode pointer(String pointer, String refParam) {
        JsonValue at = root;
        StringBuilder place = new StringBuilder(param);
        for (String raw : pointer.split("/", -1)) {
            String token = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)
                    .replace("~1", "/").replace("~0", "~");
            if (at instanceof JsonObject object && object.containsKey(token)) {
                at = object.get(token);
                place.append('.').append(token);
            } else if (at instanceof JsonArray array && token.matches("\\d{1,9}") && Integer.parseInt(token) < array.size()) {
                at = array.get(Integer.parseInt(token));
                place.append('[').append(token).append(']');
            } else {
                throw GatewayException.invalidRequest("'" + refParam + "': '#/" + pointer
                                                              + "' points at nothing in the schema", refParam);
            }
        }
        return new SchemaNode(at, place.toString());
    }

    private static Optional<SchemaNode> anchor(JsonValue schema, String name, String place) {
        if (schema instanceof JsonObject object) {
            if (object.get("$anchor") instanceof JsonString anchor && anchor.getString().equals(name)
                    || object.get("$id") instanceof JsonString id && id.getString().equals("#" + name)) {
                return Optional.of(new SchemaNode(object, place));
            }
            for (var entry : object.entrySet()) {
                if (entry.getValue() instanceof JsonObject || entry.getValue() instanceof JsonArray) {
                    Optional<SchemaNode> found = anchor(entry.getValue(), name, place + "." + entry.getKey());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } else if (schema instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                Optional<SchemaNode> found = anchor(array.get(i), name, place + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
