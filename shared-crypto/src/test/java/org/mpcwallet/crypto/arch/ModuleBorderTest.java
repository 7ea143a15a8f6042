package org.mpcwallet.crypto.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The border of shared-crypto (../shared/house-style.md): TeaVM-safe dependencies only, no clocks, threads,
 * reflection or JCA, and the layering core → hash → ec → paillier → commit → zk → protocol → eth → vault → parity.
 */
class ModuleBorderTest {
    private static JavaClasses main;

    @BeforeAll
    static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mpcwallet.crypto");
        if (main.size() < 50) {
            throw new AssertionError("expected the shared-crypto classes on the classpath, found " + main.size());
        }
    }

    @Test
    void mainCodeUsesOnlyTeaVmSafeDependencies() {
        classes().should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("org.mpcwallet.crypto..",
                        "java.lang", "java.util", "java.util.function", "java.math", "java.nio.charset",
                        "org.bouncycastle..", "java.lang.invoke", "java.lang.runtime", "java.lang.constant")
                .or(JavaClass.Predicates.equivalentTo(java.io.ByteArrayOutputStream.class)))
                .check(main);
    }

    @Test
    void noClocksThreadsReflectionOrJca() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.lang.reflect", "java.security..",
                        "javax.crypto..", "java.util.concurrent..", "java.time..", "java.util.logging..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, java.util.Random.class)
                .check(main);
    }

    @Test
    void layersOnlyUseTheLayersBeforeThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("org.mpcwallet.crypto.core..")
                .layer("hash").definedBy("org.mpcwallet.crypto.hash..")
                .layer("ec").definedBy("org.mpcwallet.crypto.ec..")
                .layer("paillier").definedBy("org.mpcwallet.crypto.paillier..")
                .layer("commit").definedBy("org.mpcwallet.crypto.commit..")
                .layer("zk").definedBy("org.mpcwallet.crypto.zk..")
                .layer("protocol").definedBy("org.mpcwallet.crypto.protocol..")
                .layer("eth").definedBy("org.mpcwallet.crypto.eth..")
                .layer("vault").definedBy("org.mpcwallet.crypto.vault..")
                .layer("parity").definedBy("org.mpcwallet.crypto.parity..")
                .whereLayer("parity").mayNotBeAccessedByAnyLayer()
                .whereLayer("vault").mayOnlyBeAccessedByLayers("parity")
                .whereLayer("eth").mayOnlyBeAccessedByLayers("vault", "parity")
                .whereLayer("protocol").mayOnlyBeAccessedByLayers("eth", "vault", "parity")
                .whereLayer("zk").mayOnlyBeAccessedByLayers("protocol", "eth", "vault", "parity")
                .whereLayer("commit").mayOnlyBeAccessedByLayers("zk", "protocol", "eth", "vault", "parity")
                .whereLayer("paillier").mayOnlyBeAccessedByLayers("commit", "zk", "protocol", "eth", "vault", "parity")
                .whereLayer("ec").mayOnlyBeAccessedByLayers("paillier", "commit", "zk", "protocol", "eth", "vault",
                        "parity")
                .whereLayer("hash").mayOnlyBeAccessedByLayers("ec", "paillier", "commit", "zk", "protocol",
                        "eth", "vault", "parity")
                .check(main);
    }
}
