package io.llmgateway.host.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Most tests call {@code poll()} themselves, one look at a time, so what each look sees is certain; one runs the
 * watcher on a real scheduler.
 */
final class TestConfigFileWatcher {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final String GOOD = """
            deployments: [{name: a, type: api}]
            models: [{name: m, deployments: [{use: a}]}]
            """;

    @TempDir
    Path dir;

    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(ConfigFileWatcher.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(handler);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Test
    void anEditInPlaceIsDeliveredOnceItHoldsStillForAPoll() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = watcher(file, "one");

        Files.writeString(file, "two");
        watcher.poll();
        assertThat(delivered, is(List.of()));
        watcher.poll();
        assertThat(delivered, is(List.of("two")));
    }

    @Test
    void theSameContentIsNotDeliveredAgain() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = watcher(file, "one");

        watcher.poll();
        watcher.poll();
        Files.writeString(file, "two");
        for (int i = 0; i < 5; i++) {
            watcher.poll();
        }
        Files.writeString(file, "two");
        for (int i = 0; i < 5; i++) {
            watcher.poll();
        }

        assertThat(delivered, is(List.of("two")));
    }

    @Test
    void aHalfWrittenFileThatChangesByTheNextPollIsNotDelivered() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), GOOD);
        ConfigFileWatcher watcher = watcher(file, GOOD);
        String edited = GOOD + "router: {max_attempts: 2}\n";

        Files.writeString(file, edited.substring(0, edited.length() / 2));
        watcher.poll();
        Files.writeString(file, edited);
        watcher.poll();
        watcher.poll();

        assertThat(delivered, is(List.of(edited)));
    }

    @Test
    void anAtomicRenameIsSeen() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = watcher(file, "one");

        Path temporary = write(dir.resolve(".gw.yaml.tmp"), "two");
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        watcher.poll();
        watcher.poll();

        assertThat(delivered, is(List.of("two")));
    }

    /** As the kubelet updates a mounted ConfigMap: a new folder, a new symlink to it renamed over {@code ..data}. */
    @Test
    void aConfigMapsDataSymlinkSwapIsSeen() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        write(first.resolve("gw.yaml"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("gw.yaml"), Path.of("..data", "gw.yaml"));
        ConfigFileWatcher watcher = watcher(file, "one");
        watcher.poll();

        Path second = Files.createDirectory(dir.resolve("..2026_01_01_00_05_00.2"));
        write(second.resolve("gw.yaml"), "two");
        Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("gw.yaml"));
        Files.delete(first);
        watcher.poll();
        watcher.poll();

        assertThat(delivered, is(List.of("two")));
    }

    @Test
    void aDeletedFileLogsOneLineAndIsPickedUpWhenItIsBack() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = watcher(file, "one");

        Files.delete(file);
        for (int i = 0; i < 5; i++) {
            watcher.poll();
        }
        assertThat(warnings().size(), is(1));
        assertThat(warnings().getFirst().getMessage(), containsString("config file " + file + " cannot be read (it does"
                + " not exist); keeping the configuration in use"));

        write(file, "one");
        watcher.poll();
        watcher.poll();
        assertThat(delivered, is(List.of()));

        Files.delete(file);
        watcher.poll();
        write(file, "two");
        watcher.poll();
        watcher.poll();
        assertThat(delivered, is(List.of("two")));
        assertThat(warnings().size(), is(2));
    }

    @Test
    void aRefusedContentIsNotRetriedAndTheNextGoodOneIsDelivered() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), GOOD);
        List<RoutingConfig> applied = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        ConfigFileWatcher watcher = new ConfigFileWatcher(file, ConfigFileWatcher.read(file).sha256(), POLL, content -> {
            try {
                applied.add(ConfigFile.parse(content.bytes(), "gw.yaml", new Environment(Map.of())));
            } catch (ConfigException e) {
                refused.add(e.getMessage());
            }
        });

        Files.writeString(file, GOOD.replace("use: a", "use: b"));
        for (int i = 0; i < 5; i++) {
            watcher.poll();
        }
        assertThat(refused, is(List.of("gw.yaml:2:40: models[0].deployments[0].use: no deployment is named b (did you mean a?)")));

        String better = GOOD.replace("{name: m,", "{name: m, strategy: latency,");
        Files.writeString(file, better);
        watcher.poll();
        watcher.poll();
        assertThat(refused.size(), is(1));
        assertThat(applied.size(), is(1));
        assertThat(applied.getFirst().models().getFirst().strategy(), is(RoutingConfig.Strategy.LATENCY));
    }

    @Test
    void aListenerThatThrowsIsLoggedAndThePollingGoesOn() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = new ConfigFileWatcher(file, ConfigFileWatcher.read(file).sha256(), POLL, content -> {
            delivered.add(new String(content.bytes(), StandardCharsets.UTF_8));
            throw new IllegalStateException("cannot start deployment a");
        });

        Files.writeString(file, "two");
        watcher.poll();
        watcher.poll();
        Files.writeString(file, "three");
        watcher.poll();
        watcher.poll();

        assertThat(delivered, is(List.of("two", "three")));
        assertThat(warnings().getFirst().getMessage(), containsString("could not be applied: cannot start deployment a"));
    }

    @Test
    void onASchedulerItPollsUntilClosed() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        Path file = write(dir.resolve("gw.yaml"), "one");
        ConfigFileWatcher watcher = ConfigFileWatcher.start(file, ConfigFileWatcher.read(file).sha256(), POLL, scheduler,
                                                            this::deliver);

        Files.writeString(file, "two");
        await(() -> delivered.size() == 1);
        watcher.close();
        Files.writeString(file, "three");
        Thread.sleep(POLL.toMillis() * 10);

        assertThat(delivered, is(List.of("two")));
    }

    @Test
    void theHashIsTheContentsSha256() throws Exception {
        Path file = write(dir.resolve("gw.yaml"), "abc");

        assertThat(ConfigFileWatcher.read(file).sha256(),
                   is("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    private ConfigFileWatcher watcher(Path file, String loaded) {
        return new ConfigFileWatcher(file, ConfigFile.sha256(loaded.getBytes(StandardCharsets.UTF_8)), POLL, this::deliver);
    }

    private void deliver(ConfigFileWatcher.Content content) {
        delivered.add(new String(content.bytes(), StandardCharsets.UTF_8));
    }

    private List<LogRecord> warnings() {
        return logged.stream().filter(record -> record.getLevel() == Level.WARNING).toList();
    }

    private static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
