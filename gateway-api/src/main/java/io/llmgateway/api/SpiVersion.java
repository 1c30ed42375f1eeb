package io.llmgateway.api;

/**
 * A version of this SPI. The SPI grows only by additions (new types, default methods), which a minor version
 * counts; a major version would break plugins built before it. A host loads a plugin built against the same
 * major version and a minor version no higher than its own.
 *
 * <p>{@link #MAJOR} and {@link #MINOR} are compile-time constants, which javac copies into every class that
 * uses them (JLS 13.1): a plugin whose descriptor passes {@code SpiVersion.MAJOR, SpiVersion.MINOR} records
 * the version it was compiled against, whatever SPI the host runs it with.
 *
 * @param major the major version
 * @param minor the minor version
 */
public record SpiVersion(int major, int minor) implements Comparable<SpiVersion> {

    /** The major version of this SPI. */
    public static final int MAJOR = 1;
    /** The minor version of this SPI. */
    public static final int MINOR = 1;

    /**
     * Validates.
     */
    public SpiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("a version is not negative: " + major + "." + minor);
        }
    }

    /**
     * The version of the SPI on the class path or module path now: in the host, the version it offers.
     *
     * @return this SPI's version
     */
    public static SpiVersion current() {
        return new SpiVersion(MAJOR, MINOR);
    }

    @Override
    public int compareTo(SpiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
