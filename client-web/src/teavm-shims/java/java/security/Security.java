package java.security;

/**
 * TeaVM-only stand-in for {@code java.security.Security}, which TeaVM's class library lacks. Bouncy Castle's
 * lightweight API reads a few optional tuning properties through {@code Security.getProperty}; answering "not set"
 * (null) selects BC's built-in defaults. Compiled into {@code target/teavm-shims-classes}, which only TeaVM reads:
 * it never reaches a JVM classpath.
 */
public final class Security {
    private Security() {}

    public static String getProperty(String key) {
        return null;
    }
}
