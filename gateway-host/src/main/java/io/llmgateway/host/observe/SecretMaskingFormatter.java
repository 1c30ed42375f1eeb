package io.llmgateway.host.observe;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

import io.llmgateway.host.http.Secrets;

/**
 * Scrubs the gateway's secrets ({@link Secrets#installed()}) from every diagnostic log line, whoever logged it:
 * the host, a plugin, Helidon. It wraps the formatter of each handler of the root logger.
 */
public final class SecretMaskingFormatter extends Formatter {

    private final Formatter delegate;

    private SecretMaskingFormatter(Formatter delegate) {
        this.delegate = delegate;
    }

    /**
     * Wraps the formatters of the root logger's handlers, once.
     */
    public static void install() {
        for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
            Formatter formatter = handler.getFormatter();
            if (formatter != null && !(formatter instanceof SecretMaskingFormatter)) {
                handler.setFormatter(new SecretMaskingFormatter(formatter));
            }
        }
    }

    @Override
    public String format(LogRecord record) {
        return Secrets.installed().scrub(delegate.format(record));
    }

    @Override
    public String getHead(Handler handler) {
        return delegate.getHead(handler);
    }

    @Override
    public String getTail(Handler handler) {
        return delegate.getTail(handler);
    }
}
