package io.llmgateway.anthropic;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The {@code $ref}s of one schema: where a local reference ({@code #}, {@code #/$defs/Name}, an
 * {@code #anchor}) points, and whether references make the schema recursive.
 */
final class SchemaRefs {

    private SchemaRefs() {
    }

    /**
     * Resolves a local reference.
     *
     * @param root    the whole schema
     * @param pointer {@code #}, a JSON pointer after {@code #}, or {@code #} and an {@code $anchor}
     * @return the schema it points at, if any
     */
    static Optional<JsonValue> resolve(JsonObject root, String pointer) {
        if (pointer.equals("#")) {
            return Optional.of(root);
        }
        if (!pointer.startsWith("#/")) {
            return anchor(root, pointer.substring(1));
        }
        JsonValue at = root;
        for (String token : pointer.substring(2).split("/", -1)) {
            String name = URLDecoder.decode(token, StandardCharsets.UTF_8).replace("~1", "/").replace("~0", "~");
            if (at instanceof JsonObject object && object.containsKey(name)) {
                at = object.get(name);
            } else if (at instanceof JsonArray array && name.matches("\\d{1,9}") && Integer.parseInt(name) < array.size()) {
                at = array.get(Integer.parseInt(name));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(at);
    }

    /**
     * Whether following references can lead back to where they started (a tree, a linked list), which
     * constrained decoding cannot express. References that do not resolve are left to {@link SchemaCheck}.
     *
     * @param root the whole schema
     * @return true if some reference reaches itself
     */
    static boolean recursive(JsonObject root) {
        Map<String, List<String>> edges = new HashMap<>();
        List<String> pending = new ArrayList<>(refsIn(root));
        while (!pending.isEmpty()) {
            String ref = pending.removeLast();
            if (edges.containsKey(ref)) {
                continue;
            }
            List<String> next = resolve(root, ref).map(SchemaRefs::refsIn).orElse(List.of());
            edges.put(ref, next);
            pending.addAll(next);
        }
        for (String start : edges.keySet()) {
            if (reaches(start, start, edges, new HashSet<>())) {
                return true;
            }
        }
        return false;
    }

    private static boolean reaches(String from, String target, Map<String, List<String>> edges, Set<String> seen) {
        for (String next : edges.getOrDefault(from, List.of())) {
            if (next.equals(target) || seen.add(next) && reaches(next, target, edges, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The references inside a schema, not following them. */
    private static List<String> refsIn(JsonValue schema) {
        List<String> refs = new ArrayList<>();
        collect(schema, refs);
        return refs;
    }

    private static void collect(JsonValue value, List<String> refs) {
        if (value instanceof JsonObject object) {
            object.forEach((key, child) -> {
                if (key.equals("$ref") && child instanceof JsonString ref) {
                    refs.add(ref.getString());
                } else {
                    collect(child, refs);
                }
            });
        } else if (value instanceof JsonArray array) {
            array.forEach(child -> collect(child, refs));
        }
    }

    private static Optional<JsonValue> anchor(JsonValue value, String name) {
        if (value instanceof JsonObject object) {
            if (object.get("$anchor") instanceof JsonString anchor && anchor.getString().equals(name)) {
                return Optional.of(object);
            }
            for (JsonValue child : object.values()) {
                Optional<JsonValue> found = anchor(child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue child : array) {
                Optional<JsonValue> found = anchor(child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
