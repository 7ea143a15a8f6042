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
 * {@code Connection} ({@code prepareStatement}, {@code createStatement}, {@code prepareCall}). The classes that still
 * do are listed in {@link #NOT_MOVED_YET}: the list may only shrink — a new class sending SQL fails the build, and so
 * does a listed class that no longer sends any (take it off the list).
 */
class PersistenceBorderTest {
    private static final Set<String> SQL_CALLS = Set.of("prepareStatement", "createStatement", "prepareCall");

    /** Classes outside persistence packages that still send SQL (their SQL moves into repositories next). */
    private static final Set<String> NOT_MOVED_YET = Set.of(
            "org.mpcwallet.bank.auth.app.UserAdmin",
            "org.mpcwallet.bank.pipeline.app.KytCaseService",
            "org.mpcwallet.bank.pipeline.app.TxRequestService",
            "org.mpcwallet.bank.web.idempotency.IdempotencyStore");

    static boolean persistence(JavaClass c) {
        String pkg = c.getPackageName();
        return pkg.endsWith(".persistence") || pkg.contains(".persistence.") || pkg.endsWith(".store")
                || pkg.contains(".store.") || pkg.equals("org.mpcwallet.bank.db");
    }

    /** The top-level classes of {@code classes} outside persistence code that send SQL. */
    static Set<String> sendingSql(JavaClasses classes) {
        Set<String> out = new TreeSet<>();
        for (JavaClass c : classes) {
            if (persistence(c)) {
                continue;
            }
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (call.getTargetOwner().getName().equals("java.sql.Connection")
                        && SQL_CALLS.contains(call.getName())) {
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
    void onlyPersistenceCodeSendsSqlAndTheListOfClassesStillToMoveOnlyShrinks() {
        Set<String> found = sendingSql(main());
        Set<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(NOT_MOVED_YET);
        assertEquals(Set.of(), unexpected, "SQL outside a persistence package: move it into a repository");
        Set<String> moved = new TreeSet<>(NOT_MOVED_YET);
        moved.removeAll(found);
        assertEquals(Set.of(), moved, "these send no SQL any more: take them off NOT_MOVED_YET");
    }

    @Test
    void theRuleSeesSqlWhereItIs() {
        // the repositories send SQL, and the rule finds it there (so it can find it elsewhere)
        JavaClasses all = main();
        Set<String> everywhere = new TreeSet<>();
        for (JavaClass c : all) {
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (call.getTargetOwner().getName().equals("java.sql.Connection")
                        && SQL_CALLS.contains(call.getName())) {
                    everywhere.add(c.getName());
                }
            }
        }
        assertTrue(everywhere.contains("org.mpcwallet.bank.mpc.persistence.MpcSessionRepository"),
                everywhere::toString);
        assertTrue(everywhere.contains("org.mpcwallet.bank.mpc.persistence.SignRequestRepository"),
                everywhere::toString);
    }
}
