package org.mpcwallet.bank.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * bank-server uses bank-signer through one public entry point (issue 11 item 5, docs/architecture.md "bank-signer"):
 * {@code org.mpcwallet.signer.SignerAssembly} (with its nested records) and the {@code LockListener} it takes, the
 * {@code gateway} types, and the {@code permit} types a permit issuer needs. Nothing of {@code pg}, {@code spi},
 * {@code store}, {@code service}, {@code tls}, {@code internal} or the signer's own classes.
 */
class SignerBorderTest {
    static boolean allowed(JavaClass target) {
        String name = target.getName();
        String pkg = target.getPackageName();
        return name.equals("org.mpcwallet.signer.SignerAssembly")
                || name.startsWith("org.mpcwallet.signer.SignerAssembly$")
                || name.equals("org.mpcwallet.signer.LockListener")
                || pkg.equals("org.mpcwallet.signer.gateway")
                || pkg.equals("org.mpcwallet.signer.permit");
    }

    /** "origin -> target" for every dependency of {@code classes} on bank-signer that the border does not allow. */
    static Set<String> crossings(JavaClasses classes) {
        Set<String> out = new TreeSet<>();
        for (JavaClass c : classes) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (target.getPackageName().startsWith("org.mpcwallet.signer") && !allowed(target)) {
                    String origin = d.getOriginClass().getName();
                    int nested = origin.indexOf('$');
                    out.add((nested < 0 ? origin : origin.substring(0, nested)) + " -> " + target.getName());
                }
            }
        }
        return out;
    }

    @Test
    void mainCodeUsesOnlyTheSignersEntryPointGatewayAndPermitTypes() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mpcwallet.bank");
        assertTrue(main.size() > 100, () -> "expected bank-server's classes on the classpath, found " + main.size());
        assertTrue(main.stream().anyMatch(c -> c.getSimpleName().equals("SignerFactory")), "SignerFactory imported");
        Set<String> crossings = crossings(main);
        assertEquals(Set.of(), crossings, "bank-server's main code reaches inside bank-signer");
    }

    @Test
    void theRuleSeesAUseInsideTheBorder() {
        // bank-server's tests may use the signer's internals; the rule must flag them (so it can flag main code)
        JavaClasses tests = new ClassFileImporter().importPackages("org.mpcwallet.bank.mpc");
        Set<String> crossings = crossings(tests);
        assertTrue(crossings.contains("org.mpcwallet.bank.mpc.PgDurabilityTest -> org.mpcwallet.signer.pg.PgShareRepository"),
                crossings::toString);
    }
}
