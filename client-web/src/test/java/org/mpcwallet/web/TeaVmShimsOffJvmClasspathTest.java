package org.mpcwallet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two TeaVM-only shims ({@code java.security.Security}, {@code javax.security.auth.Destroyable} in
 * src/teavm-shims) must never reach a JVM: they are compiled into target/teavm-shims-classes, which only TeaVM's
 * class path (target/teavm-input) contains, never target/classes, the jar or this test class path.
 */
class TeaVmShimsOffJvmClasspathTest {
    private static final List<String> SHIMS = List.of("java/security/Security.class",
            "javax/security/auth/Destroyable.class");

    @Test
    void noClasspathEntryCarriesAShim() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            for (String shim : SHIMS) {
                assertFalse(Files.isDirectory(p) && Files.exists(p.resolve(shim)),
                        "TeaVM shim " + shim + " is on the JVM class path in " + p);
            }
        }
    }

    @Test
    void theJdkClassesAreTheOnesLoaded() throws Exception {
        assertEquals("java.base", java.security.Security.class.getModule().getName());
        assertEquals("java.base", javax.security.auth.Destroyable.class.getModule().getName());
        // The real JDK class: a shim would answer null for every property.
        assertNotNull(java.security.Security.getProperty("securerandom.source"));
        assertNotNull(java.security.Security.class.getMethod("getProviders"));
    }
}
