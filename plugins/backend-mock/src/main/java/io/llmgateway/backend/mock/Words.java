package io.llmgateway.backend.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of the input (the last user message, or the tool results answering the last calls) that
 * generated strings are made of, so a document says something about what was asked.
 */
final class Words {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern ASCII_WORD = Pattern.compile("[a-z0-9]+");
    private static final int MAX_WORDS = 200;
    private static final int PHRASE_WORDS = 3;

    private final List<String> words;

    private Words(List<String> words) {
        this.words = List.copyOf(words);
    }

    static Words of(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find() && found.size() < MAX_WORDS) {
            found.add(matcher.group());
        }
        return new Words(found);
    }

    /**
     * One to three consecutive words, chosen by the seed.
     *
     * @param seed the place's seed
     * @return the words joined by spaces, or {@code mock} when the input has none
     */
    String phrase(Seed seed) {
        if (words.isEmpty()) {
            return "mock";
        }
        int start = seed.pick(words.size());
        int count = 1 + seed.derive("length").pick(PHRASE_WORDS);
        List<String> phrase = new ArrayList<>(count);
        for (int i = 0; i < count && i < words.size(); i++) {
            phrase.add(words.get((start + i) % words.size()));
        }
        return String.join(" ", phrase);
    }

    /**
     * A lowercase ASCII word (letters and digits), for emails, host names and URLs.
     *
     * @param seed the place's seed
     * @return a word of the input, or {@code mock}
     */
    String asciiWord(Seed seed) {
        List<String> ascii = words.stream().map(word -> word.toLowerCase(Locale.ROOT))
                .filter(word -> ASCII_WORD.matcher(word).matches()).toList();
        return ascii.isEmpty() ? "mock" : ascii.get(seed.pick(ascii.size()));
    }
}
