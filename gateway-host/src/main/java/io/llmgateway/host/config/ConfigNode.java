package io.llmgateway.host.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmgateway.api.ValueType;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * One node of the {@code LLM_CONFIG} YAML with its path from the root ({@code models[0].deployments[1].weight}),
 * read strictly: each accessor either returns what the file says or throws a {@link ConfigException} that starts at
 * the node's line and column. Mappings are checked for duplicate and unknown keys as they are opened.
 */
final class ConfigNode {

    private static final CoreSchema SCHEMA = new CoreSchema();

    private final Node node;
    private final String file;
    private final String path;

    private ConfigNode(Node node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    /**
     * The document's root.
     *
     * @param node the composed document
     * @param file the file name messages start with
     * @return the root
     */
    static ConfigNode root(Node node, String file) {
        return new ConfigNode(node, file, "");
    }

    /** The YAML path, such as {@code deployments[1].settings}; empty at the root. */
    String path() {
        return path;
    }

    /** The file, line and column it starts at, such as {@code gw.yaml:3:5}. */
    String where() {
        return where(node);
    }

    /** How messages name it: where it is, then its path. */
    String name() {
        return path.isEmpty() ? where() : where() + ": " + path;
    }

    /**
     * A refusal at this node.
     *
     * @param problem what is wrong, continuing the path ({@code must be ...})
     * @return the exception to throw
     */
    ConfigException fail(String problem) {
        return new ConfigException(name() + ": " + problem);
    }

    boolean isNull() {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /**
     * A mapping's entries by key, in the file's order, with the nodes of the keys (for messages about a key).
     *
     * @param allowed the keys it may have; empty allows any key
     * @return the entries
     * @throws ConfigException when it is not a mapping, or has a key twice, a key that is not a scalar or one not
     *                         allowed (naming the nearest allowed key)
     */
    Map<String, Entry> entries(List<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw fail("must be a mapping" + (allowed.isEmpty() ? "" : " of " + String.join(", ", allowed)));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, Node> keys = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || keyNode.getTag().equals(Tag.NULL)) {
                throw new ConfigNode(tuple.getKeyNode(), file, path).fail("has a key that is not a name");
            }
            String key = keyNode.getValue();
            ConfigNode keyAt = new ConfigNode(keyNode, file, child(key));
            if (keys.containsKey(key)) {
                throw keyAt.fail("duplicate key (first at " + lineAndColumn(keys.get(key)) + ")");
            }
            if (!allowed.isEmpty() && !allowed.contains(key)) {
                throw keyAt.fail("unknown key" + UnclaimedSettings.closest(key, allowed)
                        .map(match -> " (did you mean " + match + "?)")
                        .orElse("; known keys: " + String.join(", ", allowed)));
            }
            keys.put(key, keyNode);
            entries.put(key, new Entry(keyAt, new ConfigNode(tuple.getValueNode(), file, child(key))));
        }
        return entries;
    }

    /**
     * A mapping with a fixed set of keys.
     *
     * @param allowed the keys it may have
     * @return the fields
     */
    Fields fields(List<String> allowed) {
        return new Fields(this, entries(allowed));
    }

    /**
     * A sequence's items.
     *
     * @return the items
     * @throws ConfigException when it is not a sequence
     */
    List<ConfigNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw fail("must be a list");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new ConfigNode(item, file, path + "[" + items.size() + "]"));
        }
        return items;
    }

    /**
     * A scalar's text, as written (quotes and escapes resolved).
     *
     * @return the text
     * @throws ConfigException when it is empty ({@code null}), a mapping or a list
     */
    String text() {
        if (isNull()) {
            throw fail("has no value");
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw fail("must be a single value, not a " + (isMapping() ? "mapping" : "list"));
        }
        return scalar.getValue();
    }

    /**
     * A scalar parsed by a value type.
     *
     * @param type the type
     * @param <T>  the value's type
     * @return the value
     * @throws ConfigException with the type's message
     */
    <T> T value(ValueType<T> type) {
        String text = text();
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /**
     * A YAML boolean: {@code true} or {@code false} (the core schema's, so {@code yes} is a string, not true).
     *
     * @return the value
     */
    boolean bool() {
        if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.BOOL)) {
            throw fail("must be true or false");
        }
        return Boolean.parseBoolean(scalar.getValue());
    }

    /**
     * A YAML number (integer or float), as the core schema constructs it.
     *
     * @return the value
     */
    double number() {
        if (node instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
            try {
                return ((Number) SCHEMA.getSchemaTagConstructors().get(scalar.getTag()).construct(scalar)).doubleValue();
            } catch (RuntimeException e) {
                // an explicit !!int or !!float tag on text that is no number
            }
        }
        throw fail("must be a number");
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String where(Node at) {
        return file + ":" + lineAndColumn(at);
    }

    private static String lineAndColumn(Node at) {
        return at.getStartMark().map(ConfigNode::lineAndColumn).orElse("?");
    }

    /**
     * A mark as {@code line:column}, counted from 1.
     *
     * @param mark the engine's mark (counted from 0)
     * @return the text
     */
    static String lineAndColumn(Mark mark) {
        return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /**
     * A key and its value.
     *
     * @param key   the key's node, for messages about the key
     * @param value the value
     */
    record Entry(ConfigNode key, ConfigNode value) {
    }

    /**
     * A mapping's known keys; a key whose value is empty ({@code key:} or {@code ~}) counts as absent.
     *
     * @param mapping the mapping
     * @param entries its entries
     */
    record Fields(ConfigNode mapping, Map<String, Entry> entries) {

        /**
         * An optional field.
         *
         * @param key the key
         * @return its value, if given
         */
        Optional<ConfigNode> optional(String key) {
            return Optional.ofNullable(entries.get(key)).map(Entry::value).filter(value -> !value.isNull());
        }

        /**
         * A field that must be given.
         *
         * @param key the key
         * @return its value
         * @throws ConfigException at the mapping when it is absent
         */
        ConfigNode required(String key) {
            return optional(key).orElseThrow(() -> mapping.fail("needs " + key));
        }
    }
}
