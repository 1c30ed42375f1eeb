package io.llmgateway.host.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmgateway.api.ValueTypes;

/**
 * Secret references in the {@code LLM_CONFIG} file's settings: {@code ${VAR}} (the whole value or part of it) is
 * replaced by the environment variable, and {@code {file: /path}} by the file's text, trimmed; {@code $${} writes a
 * literal {@code ${}. Every value resolved is remembered as a secret (to be masked), and no message names one: a
 * reference that cannot be resolved refuses the file naming the YAML path and the variable or file.
 */
final class SecretReferences {

    /** A secret file larger than this is a mistake (a directory of keys, a log), not a key. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}?");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Environment environment;
    private final List<String> secrets = new ArrayList<>();

    SecretReferences(Environment environment) {
        this.environment = environment;
    }

    /**
     * A scalar's text with its {@code ${VAR}} references replaced.
     *
     * @param scalar the scalar
     * @return the text
     * @throws ConfigException when a variable is not set (or blank) or a reference is malformed
     */
    String text(ConfigNode scalar) {
        String text = scalar.text();
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$${")) {
                replacement = "${";
            } else {
                String name = matcher.group(1);
                if (!matcher.group().endsWith("}") || !VARIABLE.matcher(name).matches()) {
                    throw scalar.fail("has a malformed reference: write ${NAME} with a variable name (or $${ for a literal ${)");
                }
                replacement = environment.value(name).orElseThrow(
                        () -> scalar.fail("refers to ${" + name + "}, which is not set"));
                secrets.add(replacement);
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /**
     * Whether a value is a file reference: a mapping whose only key is {@code file}.
     *
     * @param value the value
     * @return true for {@code {file: /path}}
     */
    static boolean isFileReference(ConfigNode value) {
        return value.isMapping() && value.entries(List.of()).keySet().equals(Set.of("file"));
    }

    /**
     * The trimmed text of the file a {@code {file: /path}} reference names.
     *
     * @param reference the mapping
     * @return the text
     * @throws ConfigException when the path is not absolute, or the file cannot be read, is empty or is not UTF-8
     */
    String file(ConfigNode reference) {
        ConfigNode pathNode = reference.fields(List.of("file")).required("file");
        Path path = pathNode.value(ValueTypes.path());
        if (!path.isAbsolute()) {
            throw pathNode.fail("must be an absolute path");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw pathNode.fail("secret file " + path + " does not exist");
        } catch (AccessDeniedException e) {
            throw pathNode.fail("secret file " + path + " cannot be read: permission denied");
        } catch (IOException e) {
            throw pathNode.fail("secret file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw pathNode.fail("secret file " + path + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString().strip();
        } catch (CharacterCodingException e) {
            throw pathNode.fail("secret file " + path + " is not UTF-8 text");
        }
        if (text.isEmpty()) {
            throw pathNode.fail("secret file " + path + " is empty");
        }
        secrets.add(text);
        return text;
    }

    /**
     * The values resolved so far.
     *
     * @return the secrets, in the order they were resolved
     */
    List<String> secrets() {
        return List.copyOf(secrets);
    }
}
