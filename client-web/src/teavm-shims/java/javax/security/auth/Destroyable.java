package javax.security.auth;

/**
 * TeaVM-only stand-in for {@code javax.security.auth.Destroyable}, which TeaVM's class library lacks and some Bouncy
 * Castle key/parameter classes implement (they override both methods). Only TeaVM reads this class. The JDK's
 * default {@code destroy()} throws {@code DestroyFailedException}; that class is absent in TeaVM too, so this
 * default fails with an unchecked exception instead: it never reports success without destroying anything.
 */
public interface Destroyable {
    default void destroy() {
        throw new UnsupportedOperationException("destroy is not supported");
    }

    default boolean isDestroyed() {
        return false;
    }
}
