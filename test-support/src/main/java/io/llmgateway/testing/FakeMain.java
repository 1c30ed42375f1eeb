package io.llmgateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The command line the fakes' {@code main} methods share, for benchmarks that run a fake as a process of
 * its own: the options, the reply they ask for, and serving until the process is killed.
 */
final class FakeMain {
    /** The reply text without {@code --text}. */
    static final String DEFAULT_TEXT = "This is a short answer from the fake upstream, sent in five pieces.";
    /** How many deltas the text is streamed in, at most. */
    static final int DELTAS = 5;

    private FakeMain() {
    }

    /**
     * The options of a fake's main.
     *
     * @param port the port, 0 for a free one
     * @param gap  the pause between two streamed deltas
     * @param text the reply text
     */
    record Options(int port, Duration gap, String text) {
        /** {@return the text as a reply of about {@value #DELTAS} deltas, with the gap} */
        Reply.Text reply() {
            return Reply.text(deltas(text, DELTAS)).withGap(gap);
        }
    }

    /**
     * {@return the options in the arguments; on {@code --help} prints the usage and exits, on a bad
     * argument prints it on stderr and exits with status 2}
     */
    static Options options(Class<?> main, String[] args) {
        String usage = "usage: java -cp 'test-support/target/test-support-VERSION.jar:test-support/target/lib/*' " + main.getName()
                + " [--port N (0: a free one, the default)] [--gap-ms N (between streamed deltas, default 0)]"
                + " [--text \"reply text\" (default \"" + DEFAULT_TEXT + "\")]";
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(usage);
            System.exit(0);
        }
        try {
            return parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(main.getSimpleName() + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e;
        }
    }

    /**
     * {@return the options in the arguments: {@code --port N}, {@code --gap-ms N}, {@code --text T}, each
     * also as {@code --name=value}}
     *
     * @throws IllegalArgumentException for an unknown option, a missing value or a bad number
     */
    static Options parse(String[] args) {
        int port = 0;
        long gapMs = 0;
        String text = DEFAULT_TEXT;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value after " + name);
            }
            switch (name) {
                case "--port" -> port = number(name, value, 65535);
                case "--gap-ms" -> gapMs = number(name, value, Integer.MAX_VALUE);
                case "--text" -> text = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new Options(port, Duration.ofMillis(gapMs), text);
    }

    /**
     * {@return the text in at most {@code count} pieces of about as many words each, spaces kept, so that
     * joining them gives the text back}
     */
    static List<String> deltas(String text, int count) {
        String[] words = text.split("(?<=\\s)(?=\\S)");
        int pieces = Math.min(count, words.length);
        List<String> deltas = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            deltas.add(String.join("", Arrays.copyOfRange(words, i * words.length / pieces,
                    (i + 1) * words.length / pieces)));
        }
        return deltas;
    }

    /**
     * Prints {@code listening on BASE_URL} on stdout and blocks until the process is killed; SIGTERM (or
     * any orderly exit) runs {@code close} first.
     */
    static void serveUntilKilled(String baseUrl, Runnable close) {
        Runtime.getRuntime().addShutdownHook(new Thread(close, "close fake"));
        System.out.println("listening on " + baseUrl);
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int number(String name, String value, int max) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number < 0 || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max + ": " + value);
        }
    }
}
