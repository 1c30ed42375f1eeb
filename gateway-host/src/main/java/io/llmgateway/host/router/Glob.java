package io.llmgateway.host.router;

/**
 * Model name patterns: {@code *} stands for any run of characters, everything else for itself.
 */
final class Glob {

    private Glob() {
    }

    /**
     * Whether a name matches a pattern.
     *
     * @param pattern the pattern, such as {@code claude-*}
     * @param name    the name
     * @return true on a match
     */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
