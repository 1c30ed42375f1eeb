package io.llmgateway.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;

/**
 * The fake CLI's stdout: whole lines, each flushed at once, from the stdin thread (control responses) and
 * the turn thread (turn output) without interleaving. Writes UTF-8 to the file descriptor rather than
 * through {@code System.out}, whose encoding follows the locale (ASCII under {@code LANG=C}).
 */
final class CliOutput {
    private final OutputStream out;
    private boolean silenced;

    CliOutput() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    CliOutput(OutputStream out) {
        this.out = out;
    }

    void json(JsonObject line) {
        text(line.toString());
    }

    /** Writes one line (which need not be JSON) and flushes it. */
    synchronized void text(String line) {
        if (silenced) {
            return;
        }
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the reader went away: the real CLI dies of the broken pipe, and so does the fake
            System.err.println("fake-claude: cannot write to stdout: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        }
    }

    /** Drops every line from now on: the process hangs. */
    synchronized void silence() {
        silenced = true;
    }

    synchronized boolean silenced() {
        return silenced;
    }
}
