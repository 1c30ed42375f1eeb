package io.llmgateway.host.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.llmgateway.api.PluginConfigurationException;
import io.llmgateway.api.TenantKeys;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class TestKeysFileWatcher {

    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aChangedFileIsRereadAndTheListenersHearOfIt() throws Exception {
        Path file = write("sk-one:team-one rpm=60\n", 1);
        KeysFileWatcher watcher = KeysFileWatcher.start(file, scheduler, POLL);
        List<TenantKeys> heard = new CopyOnWriteArrayList<>();
        watcher.onChange(heard::add);
        assertThat(tenants(watcher.current()), is(List.of("team-one")));

        write("sk-two:team-two\nsk-three:team-three\n", 2);

        await(() -> heard.size() == 1);
        assertThat(tenants(watcher.current()), is(List.of("team-two", "team-three")));
        assertThat(heard.getFirst(), is(watcher.current()));
    }

    @Test
    void aChangeThatDoesNotParseKeepsTheKeysInUse() throws Exception {
        Path file = write("sk-one:team-one\n", 1);
        KeysFileWatcher watcher = KeysFileWatcher.start(file, scheduler, POLL);
        List<TenantKeys> heard = new CopyOnWriteArrayList<>();
        watcher.onChange(heard::add);

        write("this line is not a pair\n", 2);
        Thread.sleep(POLL.toMillis() * 10);
        write("sk-four:team-four\n", 3);

        await(() -> heard.size() == 1);
        assertThat(tenants(heard.getFirst()), is(List.of("team-four")));
    }

    @Test
    void atStartAnUnusableFileFailsNamingTheEntry() throws Exception {
        Path file = write("sk-one:team-one\nsk-secret-no-tenant\n", 1);

        PluginConfigurationException e = assertThrows(PluginConfigurationException.class,
                                                      () -> KeysFileWatcher.start(file, scheduler, POLL));

        assertThat(e.getMessage(), is("LLM_API_KEYS_FILE " + file + " entry 2 must look like key:tenant"));
    }

    /** Writes the file with a modification time of its own, so a change within one clock tick is still seen. */
    private Path write(String text, int version) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version)));
        return file;
    }

    private static List<String> tenants(TenantKeys keys) {
        return keys.entries().stream().map(TenantKeys.Entry::tenant).toList();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
