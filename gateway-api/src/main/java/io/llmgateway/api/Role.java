package io.llmgateway.api;

import java.util.Optional;

/**
 * The roles of the OpenAI chat API.
 */
public enum Role {
    /** Instructions from the application. */
    SYSTEM("system"),
    /** Instructions from the developer (newer name for system). */
    DEVELOPER("developer"),
    /** The end user. */
    USER("user"),
    /** The model. */
    ASSISTANT("assistant"),
    /** The result of a tool call. */
    TOOL("tool");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name on the wire.
     *
     * @return for example {@code assistant}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether this role carries instructions rather than conversation.
     *
     * @return true for system and developer
     */
    public boolean isInstruction() {
        return this == SYSTEM || this == DEVELOPER;
    }

    /**
     * Looks a role up by its wire name.
     *
     * @param wireName for example {@code user}
     * @return the role, or empty for an unknown name
     */
    public static Optional<Role> fromWireName(String wireName) {
        for (Role role : values()) {
            if (role.wireName.equals(wireName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
