package io.llmgateway.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.llmgateway.api.TenantKeys;
import io.llmgateway.api.TenantKeysFile;

/**
 * The host's keys file as a plugin sees it ({@link io.llmgateway.api.PluginContext#tenantKeysFile()}), with
 * contents a test sets and changes at once (the host's reading and rereading is tested in the host).
 */
public final class FakeTenantKeysFile implements TenantKeysFile {

    private final List<Consumer<TenantKeys>> listeners = new CopyOnWriteArrayList<>();
    private volatile TenantKeys current;

    private FakeTenantKeysFile(TenantKeys keys) {
        this.current = keys;
    }

    /**
     * A file holding these lines.
     *
     * @param text the file's contents, in the {@link TenantKeys} format
     * @return the file
     */
    public static FakeTenantKeysFile of(String text) {
        return new FakeTenantKeysFile(TenantKeys.parse(text));
    }

    /**
     * Changes the contents, as a reread of a changed file does, and tells the listeners.
     *
     * @param text the new contents
     */
    public void change(String text) {
        TenantKeys keys = TenantKeys.parse(text);
        current = keys;
        listeners.forEach(listener -> listener.accept(keys));
    }

    @Override
    public Path path() {
        return Path.of("/test/keys");
    }

    @Override
    public TenantKeys current() {
        return current;
    }

    @Override
    public void onChange(Consumer<TenantKeys> listener) {
        listeners.add(listener);
    }
}
