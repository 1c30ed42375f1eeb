package io.llmgateway.host.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.llmgateway.host.config.RoutingConfig.Deployment;
import io.llmgateway.host.config.RoutingConfig.Model;
import io.llmgateway.host.config.RoutingConfig.Router;
import io.llmgateway.host.config.RoutingConfig.Strategy;
import io.llmgateway.host.config.RoutingConfig.Target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class TestConfigFile {

    private static final String KEY_A = "sk-ant-a-0123456789";
    private static final String KEY_B = "sk-ant-b-9876543210";
    private static final Environment ENVIRONMENT = new Environment(Map.of("ANTHROPIC_KEY_A", KEY_A, "TOKEN", "t0ken",
                                                                          "BLANK", " "));

    /** The example of docs/router.md section 9, with the two models it falls back to. */
    private static final String EXAMPLE = """
            deployments:
              - name: anthropic-a          # unique, [a-z0-9][a-z0-9._-]*
                type: api                  # a backend type
                settings: {base_url: https://api.anthropic.com, api_key: "${ANTHROPIC_KEY_A}", context_window: 200000}
              - {name: anthropic-b, type: api, settings: {api_key: {file: KEY_FILE}}}
              - {name: claude-cli, type: cli, settings: {pool_size: 4}}
            models:
              - name: sonnet
                strategy: latency          # weighted (default) | least_in_flight | latency
                context_window: 200000     # optional
                deployments:
                  - {use: claude-cli, priority: 0}
                  - {use: anthropic-a, priority: 1, weight: 2, model: claude-sonnet-4-5}
                  - {use: anthropic-b, priority: 1}
                fallbacks: [haiku]
                context_window_fallbacks: [sonnet-1m]
              - {name: "claude-*", pattern: true, deployments: [{use: claude-cli}]}
              - {name: haiku, deployments: [{use: anthropic-b, weight: 0.5, model: claude-haiku-4-5}]}
              - {name: sonnet-1m, context_window: 1000000, deployments: [{use: anthropic-a}]}
            router: {max_attempts: 3, max_retry_wait: 30s, breaker: {failures: 3, window: 30s, cooldown: 30s, max_cooldown: 300s}}
            middleware: {ratelimit: {rpm: 600}}
            """;

    /** The smallest file that is accepted, for the refusals to break one thing at a time. */
    private static final String MINIMAL = """
            deployments:
              - {name: a, type: api}
            models:
              - {name: m, deployments: [{use: a}]}
            """;

    @TempDir
    Path dir;

    @Test
    void theExampleParsesToItsRecords() throws Exception {
        Path keyFile = dir.resolve("key_b");
        Files.writeString(keyFile, "  " + KEY_B + "\n");
        byte[] bytes = EXAMPLE.replace("KEY_FILE", keyFile.toString()).getBytes(StandardCharsets.UTF_8);

        RoutingConfig config = ConfigFile.parse(bytes, "gw.yaml", ENVIRONMENT);

        assertThat(config.deployments().size(), is(3));
        assertDeployment(config.deployments().get(0), "anthropic-a", "api",
                         Map.of("base_url", "https://api.anthropic.com", "api_key", KEY_A, "context_window", "200000"),
                         List.of(KEY_A), "gw.yaml:2:5");
        assertDeployment(config.deployments().get(1), "anthropic-b", "api", Map.of("api_key", KEY_B), List.of(KEY_B),
                         "gw.yaml:5:5");
        assertDeployment(config.deployments().get(2), "claude-cli", "cli", Map.of("pool_size", "4"), List.of(),
                         "gw.yaml:6:5");
        assertThat(config.deployments().get(0).settingName("base_url"), is("gw.yaml:4:16: deployments[0].settings.base_url"));
        assertThat(config.deployments().get(2).settingName("pool_size"), is("gw.yaml:6:46: deployments[2].settings.pool_size"));

        assertThat(config.models(), is(List.of(
                new Model("sonnet", false, Strategy.LATENCY,
                          List.of(new Target("claude-cli", Optional.empty(), 0, 1),
                                  new Target("anthropic-a", Optional.of("claude-sonnet-4-5"), 1, 2),
                                  new Target("anthropic-b", Optional.empty(), 1, 1)),
                          List.of("haiku"), List.of("sonnet-1m"), OptionalInt.of(200_000), "gw.yaml:8:5"),
                new Model("claude-*", true, Strategy.WEIGHTED, List.of(new Target("claude-cli", Optional.empty(), 0, 1)),
                          List.of(), List.of(), OptionalInt.empty(), "gw.yaml:17:5"),
                new Model("haiku", false, Strategy.WEIGHTED,
                          List.of(new Target("anthropic-b", Optional.of("claude-haiku-4-5"), 0, 0.5)),
                          List.of(), List.of(), OptionalInt.empty(), "gw.yaml:18:5"),
                new Model("sonnet-1m", false, Strategy.WEIGHTED, List.of(new Target("anthropic-a", Optional.empty(), 0, 1)),
                          List.of(), List.of(), OptionalInt.of(1_000_000), "gw.yaml:19:5"))));
        assertThat(config.router(), is(new Router(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(30),
                                                  Duration.ofSeconds(30), Duration.ofSeconds(300))));
        assertThat(config.middleware(), is(Map.of("ratelimit", Map.of("rpm", "600"))));
        assertThat(config.middlewareSettingName("ratelimit", "rpm"), is("gw.yaml:21:26: middleware.ratelimit.rpm"));
        assertThat(config.origin(), is("gw.yaml (sha256 " + sha256(bytes).substring(0, 8) + ")"));
        assertThat(config.secrets(), is(List.of(KEY_A, KEY_B)));
    }

    @Test
    void whatIsLeftOutTakesItsDefault() {
        RoutingConfig config = parse(MINIMAL);

        assertThat(config.router(), is(Router.DEFAULTS));
        assertThat(config.middleware(), is(Map.of()));
        assertThat(config.models().getFirst(), is(new Model("m", false, Strategy.WEIGHTED,
                                                           List.of(new Target("a", Optional.empty(), 0, 1)), List.of(),
                                                           List.of(), OptionalInt.empty(), "gw.yaml:4:5")));
        assertThat(config.deployments().getFirst().settings(), is(Map.of()));
    }

    @Test
    void settingsBecomeRawTexts() {
        RoutingConfig config = parse("""
                deployments:
                  - name: a
                    type: api
                    settings:
                      models: [x, y, 'z']
                      headers: {x-a: 1, x-b: two}
                      auth: "Bearer ${TOKEN}"
                      literal: "$${NOT_A_REFERENCE}"
                      empty: ""
                      flag: yes
                      other: No
                      number: 0x1F
                models:
                  - {name: m, deployments: [{use: a}]}
                """);

        assertThat(config.deployments().getFirst().settings(), is(Map.of(
                "models", "x,y,z", "headers", "x-a=1,x-b=two", "auth", "Bearer t0ken", "literal", "${NOT_A_REFERENCE}",
                "empty", "", "flag", "yes", "other", "No", "number", "0x1F")));
        assertThat(config.deployments().getFirst().secrets(), is(List.of("t0ken")));
    }

    @Test
    void yesStaysAString() {
        RoutingConfig config = parse("""
                deployments:
                  - {name: "on", type: api, settings: {stream: yes}}
                models:
                  - {name: no, deployments: [{use: "on", model: off}]}
                """);

        assertThat(config.deployments().getFirst().name(), is("on"));
        assertThat(config.deployments().getFirst().settings(), is(Map.of("stream", "yes")));
        assertThat(config.models().getFirst().name(), is("no"));
        assertThat(config.models().getFirst().targets().getFirst().upstreamModel(), is(Optional.of("off")));
        assertRefused(MINIMAL.replace("{name: m,", "{name: 'm*', pattern: yes,"),
                      "gw.yaml:4:27: models[0].pattern: must be true or false");
    }

    @Test
    void middlewareSettingsAreRawTextsWithSecrets() {
        RoutingConfig config = parse(MINIMAL + """
                middleware:
                  auth: {keys: "${TOKEN}"}
                  cache:
                  ratelimit: {rpm: 600, anything: [a, b]}
                """);

        assertThat(config.middleware(), is(Map.of("auth", Map.of("keys", "t0ken"), "cache", Map.of(),
                                                  "ratelimit", Map.of("rpm", "600", "anything", "a,b"))));
        assertThat(config.middlewareSecrets(), is(List.of("t0ken")));
        assertThat(config.secrets(), is(List.of("t0ken")));
    }

    @Test
    void syntaxErrorsAreRefusedWhereTheyAre() {
        assertRefused("deployments: [\n", "gw.yaml:2:1: expected the node content, but found '<stream end>'"
                + " (while parsing a flow node at 2:1)");
        assertRefused("deployments:\n  a: 1\n b: 2\n", "gw.yaml:3:2: expected <block end>, but found"
                + " '<block mapping start>' (while parsing a block mapping at 1:1)");
        assertRefused("a: \"unterminated\n", "gw.yaml:2:1: found unexpected end of stream"
                + " (while scanning a quoted scalar at 1:4)");
        assertRefused(MINIMAL + "---\n" + MINIMAL, "gw.yaml:5:1: but found another document"
                + " (expected a single document in the stream at 1:1)");
    }

    @Test
    void anEmptyFileOrOneThatIsNotUtf8IsRefused() {
        assertRefused("", "gw.yaml: is empty; it needs deployments and models");
        assertRefused("# nothing but a comment\n", "gw.yaml: is empty; it needs deployments and models");
        byte[] latin1 = "deployments:\n  - {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(latin1, "gw.yaml", ENVIRONMENT));
        assertThat(e.getMessage(), is("gw.yaml:2:15: is not UTF-8 text"));
    }

    @Test
    void aDocumentThatIsNotAMappingIsRefused() {
        assertRefused("- a\n", "gw.yaml:1:1: must be a mapping of deployments, models, router, middleware");
        assertRefused("models: []\n", "gw.yaml:1:1: needs deployments");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertRefused("""
                deployments:
                  - name: a
                    type: api
                    name: b
                models:
                  - {name: m, deployments: [{use: a}]}
                """, "gw.yaml:4:5: deployments[0].name: duplicate key (first at 2:5)");
        assertRefused(MINIMAL.replace("{name: a, type: api}", "{name: a, type: api, settings: {x: 1, x: 2}}"),
                      "gw.yaml:2:43: deployments[0].settings.x: duplicate key (first at 2:37)");
    }

    @Test
    void unknownKeysAreRefusedWithTheNearestKnownOne() {
        assertRefused(MINIMAL.replace("type: api", "type: api, setings: {}"),
                      "gw.yaml:2:26: deployments[0].setings: unknown key (did you mean settings?)");
        assertRefused(MINIMAL.replace("models:", "model:"), "gw.yaml:3:1: model: unknown key (did you mean models?)");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, wieght: 2}"),
                      "gw.yaml:4:38: models[0].deployments[0].wieght: unknown key (did you mean weight?)");
        assertRefused(MINIMAL + "router: {breaker: {failure: 3}}\n",
                      "gw.yaml:5:20: router.breaker.failure: unknown key (did you mean failures?)");
        assertRefused(MINIMAL + "version: 2\n", "gw.yaml:5:1: version: unknown key;"
                + " known keys: deployments, models, router, middleware");
    }

    @Test
    void wrongTypesAreRefused() {
        assertRefused("deployments: {name: a}\n", "gw.yaml:1:14: deployments: must be a list");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, priority: [1]}"),
                      "gw.yaml:4:48: models[0].deployments[0].priority: must be a single value, not a list");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, weight: heavy}"),
                      "gw.yaml:4:46: models[0].deployments[0].weight: must be a number");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, priority: first}"),
                      "gw.yaml:4:48: models[0].deployments[0].priority: must be an integer of at least 0");
        assertRefused(MINIMAL + "router: {max_attempts: three}\n",
                      "gw.yaml:5:24: router.max_attempts: must be an integer of at least 1");
        assertRefused(MINIMAL.replace("{name: m,", "{name: m, strategy: fastest,"),
                      "gw.yaml:4:25: models[0].strategy: must be weighted, least_in_flight or latency");
        assertRefused(MINIMAL.replace("{name: m,", "{name: m, context_window: 0,"),
                      "gw.yaml:4:31: models[0].context_window: must be an integer of at least 1");
        assertRefused(MINIMAL.replace("{name: a, type: api}", "{name: a, type: api, settings: [a]}"),
                      "gw.yaml:2:36: deployments[0].settings: must be a mapping");
        assertRefused(MINIMAL.replace("{name: a, type: api}", "{name: a, type: api, settings: {x: [[1]]}}"),
                      "gw.yaml:2:41: deployments[0].settings.x[0]: must be a value or {file: /path}, not a nested list");
        assertRefused(MINIMAL.replace("{name: a, type: api}", "{name: a, type: api, settings: {x: }}"),
                      "gw.yaml:2:39: deployments[0].settings.x: has no value (leave the key out for the default)");
        assertRefused(MINIMAL.replace("{name: a, type: api}", "{name: a, type: api, settings: {x: [a, 'b,c']}}"),
                      "gw.yaml:2:44: deployments[0].settings.x[1]: contains a comma, which cannot be told apart from"
                              + " the list's own");
        assertRefused(MINIMAL + "middleware: {ratelimit: 600}\n", "gw.yaml:5:25: middleware.ratelimit: must be a mapping");
    }

    @Test
    void badNamesAreRefused() {
        assertRefused(MINIMAL.replace("{name: a,", "{name: Anthropic A,"),
                      "gw.yaml:2:12: deployments[0].name: must be lower-case letters, digits, '.', '_' or '-', starting"
                              + " with a letter or digit");
        assertRefused(MINIMAL.replace("type: api", "type: API"),
                      "gw.yaml:2:21: deployments[0].type: must be lower-case letters, digits, '.', '_' or '-', starting"
                              + " with a letter or digit");
        assertRefused(MINIMAL.replace("{name: m,", "{name: 'my model',"),
                      "gw.yaml:4:12: models[0].name: must be 1 to 256 characters without spaces or control characters");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, model: ''}"),
                      "gw.yaml:4:45: models[0].deployments[0].model: must not be blank (leave it out to send the"
                              + " public name)");
    }

    @Test
    void duplicateNamesAreRefused() {
        assertRefused(MINIMAL.replace("  - {name: a, type: api}", "  - {name: a, type: api}\n  - {name: a, type: cli}"),
                      "gw.yaml:3:12: deployments[1].name: deployment a is already declared at gw.yaml:2:12");
        assertRefused(MINIMAL + "  - {name: m, deployments: [{use: a}]}\n",
                      "gw.yaml:5:12: models[1].name: model m is already declared at gw.yaml:4:12");
        assertRefused(MINIMAL.replace("[{use: a}]", "[{use: a}, {use: a, priority: 1}]"),
                      "gw.yaml:4:45: models[0].deployments[1].use: deployment a is listed twice for model m");
    }

    @Test
    void aTargetMustNameADeployment() {
        assertRefused(MINIMAL.replace("{name: a,", "{name: anthropic-a,").replace("{use: a}", "{use: anthropic-b}"),
                      "gw.yaml:4:35: models[0].deployments[0].use: no deployment is named anthropic-b"
                              + " (did you mean anthropic-a?)");
        assertRefused(MINIMAL.replace("{use: a}", "{use: zzz}"),
                      "gw.yaml:4:35: models[0].deployments[0].use: no deployment is named zzz");
    }

    @Test
    void aModelNeedsDeployments() {
        assertRefused(MINIMAL.replace("[{use: a}]", "[]"), "gw.yaml:4:28: models[0].deployments: must list at least one"
                + " deployment");
        assertRefused(MINIMAL.replace("{name: m, deployments: [{use: a}]}", "{name: m}"), "gw.yaml:4:5: models[0]: needs"
                + " deployments");
        assertRefused(MINIMAL.replace("  - {name: a, type: api}\n", ""), "gw.yaml:1:1: needs deployments");
        assertRefused("deployments: []\nmodels: []\n", "gw.yaml:1:14: deployments: must list at least one deployment");
    }

    @Test
    void patternsNeedAStarAndExactNamesHaveNone() {
        assertRefused(MINIMAL.replace("{name: m,", "{name: claude, pattern: true,"),
                      "gw.yaml:4:12: models[0].name: is a pattern without a '*' (drop pattern: true for an exact name)");
        assertRefused(MINIMAL.replace("{name: m,", "{name: 'claude-*',"),
                      "gw.yaml:4:12: models[0].name: contains '*': add pattern: true to serve it as a glob");
    }

    @Test
    void weightsAndPrioritiesAreNotNegative() {
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, weight: -1}"),
                      "gw.yaml:4:46: models[0].deployments[0].weight: must be a number of 0 or more");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, weight: .nan}"),
                      "gw.yaml:4:46: models[0].deployments[0].weight: must be a number of 0 or more");
        assertRefused(MINIMAL.replace("{use: a}", "{use: a, priority: -1}"),
                      "gw.yaml:4:48: models[0].deployments[0].priority: must be an integer of at least 0");
    }

    @Test
    void badDurationsAreRefused() {
        assertRefused(MINIMAL + "router: {breaker: {window: 30 seconds}}\n",
                      "gw.yaml:5:28: router.breaker.window: must be a duration above 0 such as 30s, 500ms or 2m"
                              + " (a bare number is seconds)");
        assertRefused(MINIMAL + "router: {breaker: {cooldown: 0s}}\n",
                      "gw.yaml:5:30: router.breaker.cooldown: must be a duration above 0");
        assertRefused(MINIMAL + "router: {max_retry_wait: soon}\n",
                      "gw.yaml:5:26: router.max_retry_wait: must be a duration such as 30s, 500ms or 2m"
                              + " (a bare number is seconds)");
        assertRefused(MINIMAL + "router: {breaker: {cooldown: 10m}}\n",
                      "gw.yaml:5:30: router.breaker.cooldown: max_cooldown (5m) must be at least cooldown (10m)");
    }

    @Test
    void fallbacksMustNameOtherModels() {
        String two = MINIMAL + "  - {name: haiku, deployments: [{use: a}]}\n";
        assertRefused(two.replace("{name: m,", "{name: m, fallbacks: [haiku3],"),
                      "gw.yaml:4:27: models[0].fallbacks[0]: no model is named haiku3 (did you mean haiku?)");
        assertRefused(two.replace("{name: m,", "{name: m, context_window_fallbacks: [big],"),
                      "gw.yaml:4:42: models[0].context_window_fallbacks[0]: no model is named big");
        assertRefused(two.replace("{name: m,", "{name: m, fallbacks: [haiku, m],"),
                      "gw.yaml:4:34: models[0].fallbacks[1]: model m cannot fall back to itself");
        assertRefused(two.replace("{name: m,", "{name: m, fallbacks: [haiku, haiku],"),
                      "gw.yaml:4:34: models[0].fallbacks[1]: model haiku is listed twice");
        assertRefused(two.replace("{name: haiku,", "{name: 'c-*', pattern: true,").replace("{name: m,",
                                                                                            "{name: m, fallbacks: ['c-*'],"),
                      "gw.yaml:4:27: models[0].fallbacks[0]: model c-* is a pattern; fall back to a model with an exact"
                              + " name");
    }

    @Test
    void fallbackCyclesAreRefused() {
        assertRefused(MINIMAL.replace("{name: m,", "{name: m, fallbacks: [n],")
                              + "  - {name: n, fallbacks: [o], deployments: [{use: a}]}\n"
                              + "  - {name: o, fallbacks: [m], deployments: [{use: a}]}\n",
                      "gw.yaml:6:27: models[2].fallbacks[0]: fallbacks form a cycle: m -> n -> o -> m");
        assertRefused(MINIMAL.replace("{name: m,", "{name: m, context_window_fallbacks: [n],")
                              + "  - {name: n, context_window_fallbacks: [m], deployments: [{use: a}]}\n",
                      "gw.yaml:5:42: models[1].context_window_fallbacks[0]: context_window_fallbacks form a cycle:"
                              + " m -> n -> m");
    }

    @Test
    void fallbacksOfDifferentKindsMayPointBothWays() {
        RoutingConfig config = parse(MINIMAL.replace("{name: m,", "{name: m, context_window_fallbacks: [n],")
                                             + "  - {name: n, fallbacks: [m], deployments: [{use: a}]}\n");

        assertThat(config.models().get(1).fallbacks(), is(List.of("m")));
    }

    @Test
    void aContextWindowFallbackMustBeLarger() {
        String two = MINIMAL.replace("{name: m,", "{name: m, context_window: 200000, context_window_fallbacks: [big],")
                + "  - {name: big, context_window: WINDOW, deployments: [{use: a}]}\n";

        assertRefused(two.replace("WINDOW", "200000"), "gw.yaml:4:66: models[0].context_window_fallbacks[0]: model big"
                + " has a context window of 200000, not larger than 200000");
        assertThat(parse(two.replace("WINDOW", "1000000")).models().getFirst().contextWindowFallbacks(),
                   is(List.of("big")));
        assertThat(parse(two.replace(", context_window: WINDOW", "")).models().size(), is(2));
    }

    @Test
    void secretsComeFromTheEnvironmentAndFiles() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "\n " + KEY_B + " \n");

        RoutingConfig config = parse(MINIMAL.replace("type: api}", "type: api, settings: {a: '${ANTHROPIC_KEY_A}',"
                + " b: {file: " + key + "}, list: [x, {file: " + key + "}]}}"));

        assertThat(config.deployments().getFirst().settings(), is(Map.of("a", KEY_A, "b", KEY_B, "list", "x," + KEY_B)));
        assertThat(config.deployments().getFirst().secrets(), is(List.of(KEY_A, KEY_B, KEY_B)));
        assertThat(config.deployments().getFirst().toString(), not(containsString(KEY_A)));
        assertThat(config.deployments().getFirst().toString(), not(containsString(KEY_B)));
    }

    @Test
    void aMissingSecretRefusesTheFileNamingThePath() throws Exception {
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: '${NOPE}'}}"),
                      "gw.yaml:2:46: deployments[0].settings.api_key: refers to ${NOPE}, which is not set");
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: '${BLANK}'}}"),
                      "gw.yaml:2:46: deployments[0].settings.api_key: refers to ${BLANK}, which is not set");
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: '${not valid}'}}"),
                      "gw.yaml:2:46: deployments[0].settings.api_key: has a malformed reference: write ${NAME} with a"
                              + " variable name (or $${ for a literal ${)");
        Path missing = dir.resolve("missing");
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: {file: " + missing + "}}}"),
                      "gw.yaml:2:53: deployments[0].settings.api_key.file: secret file " + missing + " does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: {file: " + empty + "}}}"),
                      "gw.yaml:2:53: deployments[0].settings.api_key.file: secret file " + empty + " is empty");
        assertRefused(MINIMAL.replace("type: api}", "type: api, settings: {api_key: {file: relative/key}}}"),
                      "gw.yaml:2:53: deployments[0].settings.api_key.file: must be an absolute path");
        assertRefused(MINIMAL + "middleware: {auth: {keys: '${NOPE}'}}\n",
                      "gw.yaml:5:27: middleware.auth.keys: refers to ${NOPE}, which is not set");
    }

    @Test
    void noMessageHoldsASecret() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "a,b-" + KEY_B);
        Environment environment = new Environment(Map.of("KEY", "x,y-" + KEY_A));
        for (String settings : List.of("{list: [\"${KEY}\"]}", "{list: [{file: " + key + "}]}",
                                       "{map: {k: '${KEY}'}}", "{map: {k: {file: " + key + "}}}")) {
            byte[] bytes = MINIMAL.replace("type: api}", "type: api, settings: " + settings + "}")
                    .getBytes(StandardCharsets.UTF_8);

            ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(bytes, "gw.yaml", environment));

            assertThat(e.getMessage(), containsString("contains a comma"));
            assertThat(e.getMessage(), not(containsString(KEY_A)));
            assertThat(e.getMessage(), not(containsString(KEY_B)));
        }
    }

    @Test
    void theEnginesLimitsAreKept() {
        StringBuilder laughs = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char name = 'b'; name <= 'j'; name++) {
            char previous = (char) (name - 1);
            laughs.append(name).append(": &").append(name).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
        }
        assertRefused(laughs.toString(), "gw.yaml: Number of aliases for non-scalar nodes exceeds the specified max=50");
    }

    @Test
    void aRecursiveNodeIsRefusedNotFollowed() {
        assertRefused(MINIMAL.replace("{name: a, type: api}", "&d {name: a, type: api, settings: {x: *d}}"),
                      "gw.yaml:2:39: deployments[0].settings.x.settings: must be a value or {file: /path}, not a nested mapping");
    }

    private static RoutingConfig parse(String yaml) {
        return ConfigFile.parse(yaml.getBytes(StandardCharsets.UTF_8), "gw.yaml", ENVIRONMENT);
    }

    private static void assertRefused(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertThat(e.getMessage(), is(message));
    }

    private static void assertDeployment(Deployment deployment, String name, String type, Map<String, String> settings,
                                         List<String> secrets, String where) {
        assertThat(deployment.name(), is(name));
        assertThat(deployment.type(), is(type));
        assertThat(deployment.settings(), is(settings));
        assertThat(deployment.secrets(), is(secrets));
        assertThat(deployment.where(), is(where));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
