package org.mpcwallet.bank.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * SQL lives in persistence code (issue 11 step 4, docs/redesign.md): in bank-server's main code only classes in a
 * {@code persistence} or {@code store} package, or in {@code org.mpcwallet.bank.db}, send SQL through a JDBC
 * {@code Connection} ({@code prepareStatement}, {@code createStatement}, {@code prepareCall}); a class elsewhere that
 * does fails the build.
 */
class PersistenceBorderTest {
    private static final Set<String> SQL_CALLS = Set.of("prepareStatement", "createStatement", "prepareCall");

    static boolean persistence(JavaClass c) {
        String pkg = c.getPackageName();
        return pkg.endsWith(".persistence") || pkg.contains(".persistence.") || pkg.endsWith(".store")
                || pkg.contains(".store.") || pkg.equals("org.mpcwallet.bank.db");
    }

    /** Whether {@code call} sends SQL through a JDBC {@code Connection}. */
    static boolean sendsSql(JavaMethodCall call) {
        return call.getTargetOwner().getName().equals("java.sql.Connection") && SQL_CALLS.contains(call.getName());
    }

    /** The top-level classes of {@code classes} outside persistence code that send SQL. */
    static Set<String> sendingSql(JavaClasses classes) {
        Set<String> out = new TreeSet<>();
        for (JavaClass c : classes) {
            if (persistence(c)) {
                continue;
            }
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (sendsSql(call)) {
                    String origin = call.getOriginOwner().getName();
                    int nested = origin.indexOf('$');
                    out.add(nested < 0 ? origin : origin.substring(0, nested));
                }
            }
        }
        return out;
    }

    private static JavaClasses main() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mpcwallet.bank");
        assertTrue(main.size() > 100, () -> "expected bank-server's classes on the classpath, found " + main.size());
        return main;
    }

    @Test
    void onlyPersistenceCodeSendsSql() {
        assertEquals(Set.of(), sendingSql(main()), "SQL outside a persistence package: move it into a repository");
    }

    @Test
    void theRuleSeesSqlWhereItIs() {
        // persistence code sends SQL, and the rule finds it there (so it can find it elsewhere): the keyset pager,
        // which the Micronaut Data repositories hand their connection, and at least one class of a persistence or
        // store package (any: the stores that still take a Connection move to Micronaut Data one by one)
        JavaClasses all = main();
        Set<String> everywhere = new TreeSet<>();
        for (JavaClass c : all) {
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (sendsSql(call)) {
                    everywhere.add(c.getName());
                }
            }
        }
        assertTrue(everywhere.contains("org.mpcwallet.bank.db.Keyset"), everywhere::toString);
        assertTrue(everywhere.stream().anyMatch(n -> !n.startsWith("org.mpcwallet.bank.db.")
                && persistence(all.get(n))), everywhere::toString);
    }

    @Test
    void theRuleReportsSqlOutsidePersistenceCode() {
        // a class outside persistence code (this test's package) that sends SQL, in a lambda too, is reported
        JavaClasses outside = new ClassFileImporter().importClasses(OutsideSql.class);
        assertEquals(Set.of(PersistenceBorderTest.class.getName()), sendingSql(outside));
    }

    /** Sends SQL from a lambda, as a service outside persistence code might. */
    static final class OutsideSql {
        static final java.util.function.Function<java.sql.Connection, Object> READ = c -> {
            try {
                return c.prepareStatement("select 1");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };

        private OutsideSql() {
        }
    }
}
