package io.llmgateway.host.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.llmgateway.api.ValueTypes;
import io.llmgateway.host.config.RoutingConfig.Deployment;
import io.llmgateway.host.config.RoutingConfig.Model;
import io.llmgateway.host.config.RoutingConfig.Router;
import io.llmgateway.host.config.RoutingConfig.Strategy;
import io.llmgateway.host.config.RoutingConfig.Target;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The {@code LLM_CONFIG} file: YAML (1.2 core schema, read by SnakeYAML Engine with its default limits on aliases
 * and size) of deployments, public models, router and middleware settings, made into a validated
 * {@link RoutingConfig} or refused with one line that starts at the line and column of the problem and names its
 * YAML path. Unknown keys are refused everywhere but inside {@code settings} and {@code middleware.<name>}, which
 * stay raw texts for the plugins' descriptors to bind; secret references in them are resolved
 * ({@link SecretReferences}). Cross references are checked here: targets name deployments, fallbacks name models,
 * fallbacks form no cycle, and a context-window fallback is larger.
 */
public final class ConfigFile {

    /** Deployment, backend type and middleware names: they become metric labels and header values. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final String NAME_RULE = "must be lower-case letters, digits, '.', '_' or '-', starting with a"
            + " letter or digit";
    /** Public model names are what clients send, so any text without spaces or control characters. */
    private static final Pattern MODEL_NAME = Pattern.compile("[^\\p{Space}\\p{Cntrl}]{1,256}");

    private static final List<String> TOP = List.of("deployments", "models", "router", "middleware");
    private static final List<String> DEPLOYMENT = List.of("name", "type", "settings");
    private static final List<String> MODEL = List.of("name", "pattern", "strategy", "context_window", "deployments",
                                                      "fallbacks", "context_window_fallbacks");
    private static final List<String> TARGET = List.of("use", "priority", "weight", "model");
    private static final List<String> ROUTER = List.of("max_attempts", "max_retry_wait", "first_delta_timeout",
                                                        "breaker");
    private static final List<String> BREAKER = List.of("failures", "window", "cooldown", "max_cooldown");

    private ConfigFile() {
    }

    /**
     * Reads a configuration file.
     *
     * @param bytes       the file's content
     * @param fileName    how messages name the file, such as {@code gw.yaml}
     * @param environment the variables {@code ${VAR}} references are resolved from
     * @return the configuration, its origin {@code <file name> (sha256 <first 8 hex digits>)}
     * @throws ConfigException one line naming the place, the YAML path and the problem
     */
    public static RoutingConfig parse(byte[] bytes, String fileName, Environment environment) {
        ConfigNode root = ConfigNode.root(compose(bytes, fileName), fileName);
        ConfigNode.Fields top = root.fields(TOP);

        Map<String, ConfigNode> deploymentNames = new LinkedHashMap<>();
        List<Deployment> deployments = new ArrayList<>();
        for (ConfigNode node : nonEmpty(top.required("deployments"), "deployment")) {
            deployments.add(deployment(node, environment, deploymentNames));
        }

        List<ModelEntry> entries = new ArrayList<>();
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        for (ConfigNode node : nonEmpty(top.required("models"), "model")) {
            ModelEntry entry = model(node, deploymentNames);
            ModelEntry first = models.putIfAbsent(entry.model().name(), entry);
            if (first != null) {
                throw entry.nameNode().fail("model " + entry.model().name() + " is already declared at "
                                                    + first.nameNode().where());
            }
            entries.add(entry);
        }
        checkFallbacks(entries, models);

        Router router = top.optional("router").map(ConfigFile::router).orElse(Router.DEFAULTS);

        Map<String, Map<String, String>> middleware = new LinkedHashMap<>();
        Map<String, Map<String, String>> middlewareNames = new LinkedHashMap<>();
        SecretReferences middlewareSecrets = new SecretReferences(environment);
        top.optional("middleware").ifPresent(node -> node.entries(List.of()).forEach((name, entry) -> {
            checkName(entry.key(), name);
            SettingTexts texts = entry.value().isNull() ? SettingTexts.NONE : settings(entry.value(), middlewareSecrets);
            middleware.put(name, texts.values());
            middlewareNames.put(name, texts.names());
        }));

        return new RoutingConfig(deployments, entries.stream().map(ModelEntry::model).toList(), router, middleware,
                                 fileName + " (sha256 " + sha256(bytes).substring(0, 8) + ")",
                                 middlewareSecrets.secrets(), middlewareNames);
    }

    /**
     * The SHA-256 of some bytes, in lower-case hex.
     *
     * @param bytes the bytes
     * @return 64 hex digits
     */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Node compose(byte[] bytes, String fileName) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setSchema(new CoreSchema()).build();
        Optional<Node> document;
        try {
            document = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, decode(bytes, fileName))))
                    .getSingleNode();
        } catch (MarkedYamlEngineException e) {
            String at = e.getProblemMark().or(e::getContextMark).map(ConfigNode::lineAndColumn).orElse("?");
            String context = e.getContext() == null ? ""
                    : " (" + e.getContext() + e.getContextMark().map(mark -> " at " + ConfigNode.lineAndColumn(mark))
                    .orElse("") + ")";
            throw new ConfigException(oneLine(fileName + ":" + at + ": " + e.getProblem() + context));
        } catch (YamlEngineException e) {
            throw new ConfigException(oneLine(fileName + ": " + e.getMessage()));
        }
        return document.orElseThrow(() -> new ConfigException(fileName + ": is empty; it needs deployments and models"));
    }

    /** Strict UTF-8 (a leading byte order mark skipped), so a stray byte is refused where it is. */
    private static String decode(byte[] bytes, String fileName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            String before = out.flip().toString();
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            throw new ConfigException(fileName + ":" + line + ":" + column + ": is not UTF-8 text");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static List<ConfigNode> nonEmpty(ConfigNode list, String what) {
        List<ConfigNode> items = list.items();
        if (items.isEmpty()) {
            throw list.fail("must list at least one " + what);
        }
        return items;
    }

    private static Deployment deployment(ConfigNode node, Environment environment, Map<String, ConfigNode> names) {
        ConfigNode.Fields fields = node.fields(DEPLOYMENT);
        ConfigNode nameNode = fields.required("name");
        String name = checkName(nameNode, nameNode.text());
        ConfigNode first = names.putIfAbsent(name, nameNode);
        if (first != null) {
            throw nameNode.fail("deployment " + name + " is already declared at " + first.where());
        }
        ConfigNode typeNode = fields.required("type");
        String type = checkName(typeNode, typeNode.text());
        SecretReferences secrets = new SecretReferences(environment);
        SettingTexts texts = fields.optional("settings").map(settings -> settings(settings, secrets))
                .orElse(SettingTexts.NONE);
        return new Deployment(name, type, texts.values(), secrets.secrets(), node.where(), texts.names());
    }

    private static String checkName(ConfigNode node, String name) {
        if (!NAME.matcher(name).matches()) {
            throw node.fail(NAME_RULE);
        }
        return name;
    }

    /**
     * Settings as the raw texts the plugins' descriptors bind: a scalar as written, a list joined by commas, a
     * mapping as {@code k=v,k2=v2}, secret references resolved.
     */
    private static SettingTexts settings(ConfigNode node, SecretReferences secrets) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        node.entries(List.of()).forEach((key, entry) -> {
            values.put(key, settingText(entry.value(), secrets));
            names.put(key, entry.key().name());
        });
        return new SettingTexts(values, names);
    }

    private static String settingText(ConfigNode value, SecretReferences secrets) {
        if (value.isNull()) {
            throw value.fail("has no value (leave the key out for the default)");
        }
        if (value.isSequence()) {
            List<String> texts = new ArrayList<>();
            for (ConfigNode item : value.items()) {
                String text = singleText(item, secrets);
                if (text.contains(",")) {
                    throw item.fail("contains a comma, which cannot be told apart from the list's own");
                }
                texts.add(text);
            }
            return String.join(",", texts);
        }
        if (value.isMapping() && !SecretReferences.isFileReference(value)) {
            List<String> pairs = new ArrayList<>();
            value.entries(List.of()).forEach((key, entry) -> {
                if (key.contains(",") || key.contains("=")) {
                    throw entry.key().fail("a key here cannot contain ',' or '='");
                }
                String text = singleText(entry.value(), secrets);
                if (text.contains(",")) {
                    throw entry.value().fail("contains a comma, which cannot be told apart from the pairs' own");
                }
                pairs.add(key + "=" + text);
            });
            return String.join(",", pairs);
        }
        return singleText(value, secrets);
    }

    private static String singleText(ConfigNode value, SecretReferences secrets) {
        if (SecretReferences.isFileReference(value)) {
            return secrets.file(value);
        }
        if (!value.isScalar()) {
            throw value.isNull() ? value.fail("has no value")
                    : value.fail("must be a value or {file: /path}, not a nested " + (value.isMapping() ? "mapping" : "list"));
        }
        return secrets.text(value);
    }

    private static ModelEntry model(ConfigNode node, Map<String, ConfigNode> deployments) {
        ConfigNode.Fields fields = node.fields(MODEL);
        boolean pattern = fields.optional("pattern").map(ConfigNode::bool).orElse(false);
        ConfigNode nameNode = fields.required("name");
        String name = nameNode.text();
        if (!MODEL_NAME.matcher(name).matches()) {
            throw nameNode.fail("must be 1 to 256 characters without spaces or control characters");
        }
        if (pattern && !name.contains("*")) {
            throw nameNode.fail("is a pattern without a '*' (drop pattern: true for an exact name)");
        }
        if (!pattern && name.contains("*")) {
            throw nameNode.fail("contains '*': add pattern: true to serve it as a glob");
        }
        Strategy strategy = fields.optional("strategy").map(value -> value.value(ValueTypes.oneOf(Strategy.class)))
                .orElse(Strategy.WEIGHTED);
        OptionalInt contextWindow = fields.optional("context_window")
                .map(value -> OptionalInt.of(value.value(ValueTypes.integer(1, Integer.MAX_VALUE))))
                .orElse(OptionalInt.empty());

        List<Target> targets = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (ConfigNode targetNode : nonEmpty(fields.required("deployments"), "deployment")) {
            ConfigNode.Fields target = targetNode.fields(TARGET);
            ConfigNode useNode = target.required("use");
            String use = useNode.text();
            if (!deployments.containsKey(use)) {
                throw useNode.fail("no deployment is named " + use + suggestion(use, deployments.keySet()));
            }
            if (!used.add(use)) {
                throw useNode.fail("deployment " + use + " is listed twice for model " + name);
            }
            int priority = target.optional("priority").map(value -> value.value(ValueTypes.integer(0, Integer.MAX_VALUE)))
                    .orElse(0);
            double weight = target.optional("weight").map(ConfigFile::weight).orElse(1.0);
            Optional<String> upstream = target.optional("model").map(ConfigFile::upstreamModel);
            targets.add(new Target(use, upstream, priority, weight));
        }
        List<ConfigNode> fallbacks = fields.optional("fallbacks").map(ConfigNode::items).orElse(List.of());
        List<ConfigNode> contextFallbacks = fields.optional("context_window_fallbacks").map(ConfigNode::items)
                .orElse(List.of());
        Model model = new Model(name, pattern, strategy, targets, texts(fallbacks), texts(contextFallbacks),
                                contextWindow, node.where());
        return new ModelEntry(model, nameNode, fallbacks, contextFallbacks);
    }

    private static String upstreamModel(ConfigNode node) {
        String model = node.text();
        if (model.isBlank()) {
            throw node.fail("must not be blank (leave it out to send the public name)");
        }
        return model;
    }

    private static double weight(ConfigNode node) {
        double weight = node.number();
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw node.fail("must be a number of 0 or more");
        }
        return weight;
    }

    private static List<String> texts(List<ConfigNode> nodes) {
        return nodes.stream().map(ConfigNode::text).toList();
    }

    private static void checkFallbacks(List<ModelEntry> entries, Map<String, ModelEntry> models) {
        for (ModelEntry entry : entries) {
            checkReferences(entry, entry.fallbacks(), models, "fall back");
            checkReferences(entry, entry.contextFallbacks(), models, "fall back for a larger context");
            for (ConfigNode reference : entry.contextFallbacks()) {
                ModelEntry larger = models.get(reference.text());
                OptionalInt own = entry.model().contextWindow();
                OptionalInt theirs = larger.model().contextWindow();
                if (own.isPresent() && theirs.isPresent() && theirs.getAsInt() <= own.getAsInt()) {
                    throw reference.fail("model " + larger.model().name() + " has a context window of "
                                                 + theirs.getAsInt() + ", not larger than " + own.getAsInt());
                }
            }
        }
        checkCycles(entries, models, ModelEntry::fallbacks, "fallbacks");
        checkCycles(entries, models, ModelEntry::contextFallbacks, "context_window_fallbacks");
    }

    private static void checkReferences(ModelEntry entry, List<ConfigNode> references, Map<String, ModelEntry> models,
                                        String verb) {
        Set<String> seen = new HashSet<>();
        for (ConfigNode reference : references) {
            String target = reference.text();
            ModelEntry model = models.get(target);
            if (model == null) {
                throw reference.fail("no model is named " + target + suggestion(target, models.keySet()));
            }
            if (model == entry) {
                throw reference.fail("model " + target + " cannot " + verb + " to itself");
            }
            if (model.model().pattern()) {
                throw reference.fail("model " + target + " is a pattern; " + verb + " to a model with an exact name");
            }
            if (!seen.add(target)) {
                throw reference.fail("model " + target + " is listed twice");
            }
        }
    }

    /** A depth-first walk in the file's order; the reference that closes a cycle is refused. */
    private static void checkCycles(List<ModelEntry> entries, Map<String, ModelEntry> models,
                                    Function<ModelEntry, List<ConfigNode>> edges, String key) {
        Set<ModelEntry> done = new HashSet<>();
        for (ModelEntry entry : entries) {
            walk(entry, new ArrayList<>(), done, models, edges, key);
        }
    }

    private static void walk(ModelEntry entry, List<ModelEntry> stack, Set<ModelEntry> done,
                             Map<String, ModelEntry> models, Function<ModelEntry, List<ConfigNode>> edges, String key) {
        if (done.contains(entry)) {
            return;
        }
        stack.add(entry);
        for (ConfigNode reference : edges.apply(entry)) {
            ModelEntry next = models.get(reference.text());
            int at = stack.indexOf(next);
            if (at >= 0) {
                List<String> cycle = new ArrayList<>(stack.subList(at, stack.size()).stream()
                                                             .map(member -> member.model().name()).toList());
                cycle.add(next.model().name());
                throw reference.fail(key + " form a cycle: " + String.join(" -> ", cycle));
            }
            walk(next, stack, done, models, edges, key);
        }
        stack.removeLast();
        done.add(entry);
    }

    private static String suggestion(String name, Set<String> known) {
        return UnclaimedSettings.closest(name, known).map(match -> " (did you mean " + match + "?)").orElse("");
    }

    private static Router router(ConfigNode node) {
        ConfigNode.Fields fields = node.fields(ROUTER);
        Router defaults = Router.DEFAULTS;
        int maxAttempts = fields.optional("max_attempts").map(value -> value.value(ValueTypes.integer(1, Integer.MAX_VALUE)))
                .orElse(defaults.maxAttempts());
        Duration maxRetryWait = fields.optional("max_retry_wait").map(value -> value.value(ValueTypes.duration()))
                .orElse(defaults.maxRetryWait());
        Duration firstDeltaTimeout = fields.optional("first_delta_timeout")
                .map(value -> value.value(ValueTypes.duration())).orElse(defaults.firstDeltaTimeout());
        Optional<ConfigNode.Fields> breaker = fields.optional("breaker").map(value -> value.fields(BREAKER));
        int failures = breaker.flatMap(b -> b.optional("failures"))
                .map(value -> value.value(ValueTypes.integer(0, Integer.MAX_VALUE))).orElse(defaults.failures());
        Duration window = breakerDuration(breaker, "window", defaults.window());
        Duration cooldown = breakerDuration(breaker, "cooldown", defaults.cooldown());
        Duration maxCooldown = breakerDuration(breaker, "max_cooldown", defaults.maxCooldown());
        if (maxCooldown.compareTo(cooldown) < 0) {
            ConfigNode at = breaker.flatMap(b -> b.optional("max_cooldown").or(() -> b.optional("cooldown")))
                    .orElse(node);
            throw at.fail("max_cooldown (" + ValueTypes.duration().format(maxCooldown) + ") must be at least cooldown ("
                                  + ValueTypes.duration().format(cooldown) + ")");
        }
        return new Router(maxAttempts, maxRetryWait, failures, window, cooldown, maxCooldown, firstDeltaTimeout);
    }

    private static Duration breakerDuration(Optional<ConfigNode.Fields> breaker, String key, Duration otherwise) {
        return breaker.flatMap(b -> b.optional(key)).map(value -> value.value(ValueTypes.positiveDuration()))
                .orElse(otherwise);
    }

    /** Settings' raw texts and how messages name each, by key. */
    private record SettingTexts(Map<String, String> values, Map<String, String> names) {
        static final SettingTexts NONE = new SettingTexts(Map.of(), Map.of());
    }

    /** A model and the nodes its cross references are checked at. */
    private record ModelEntry(Model model, ConfigNode nameNode, List<ConfigNode> fallbacks,
                              List<ConfigNode> contextFallbacks) {
    }
}
