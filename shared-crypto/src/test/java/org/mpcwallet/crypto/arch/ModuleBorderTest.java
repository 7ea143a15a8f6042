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
 * reflection or JCA, the layering core → hash → ec → paillier → commit → zk → protocol → eth → vault → channel → device, and no test
 * support (seeded randomness, in-process runs, parity probes) in main code: it lives in src/test (issue 9 item 6).
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
                .layer("channel").definedBy("org.mpcwallet.crypto.channel..")
                .layer("device").definedBy("org.mpcwallet.crypto.device..")
                .whereLayer("device").mayNotBeAccessedByAnyLayer()
                .whereLayer("channel").mayOnlyBeAccessedByLayers("device")
                .whereLayer("vault").mayOnlyBeAccessedByLayers("channel", "device")
                .whereLayer("eth").mayOnlyBeAccessedByLayers("vault", "channel", "device")
                .whereLayer("protocol").mayOnlyBeAccessedByLayers("eth", "vault", "channel", "device")
                .whereLayer("zk").mayOnlyBeAccessedByLayers("protocol", "eth", "vault", "channel", "device")
                .whereLayer("commit").mayOnlyBeAccessedByLayers("zk", "protocol", "eth", "vault", "channel", "device")
                .whereLayer("paillier").mayOnlyBeAccessedByLayers("commit", "zk", "protocol", "eth", "vault",
                        "channel", "device")
                .whereLayer("ec").mayOnlyBeAccessedByLayers("paillier", "commit", "zk", "protocol", "eth", "vault",
                        "channel", "device")
                .whereLayer("hash").mayOnlyBeAccessedByLayers("ec", "paillier", "commit", "zk", "protocol",
                        "eth", "vault", "channel", "device")
                .check(main);
    }

    @Test
    void noTestSupportInMainCode() {
        for (String name : java.util.List.of("org.mpcwallet.crypto.core.DeterministicRandom",
                "org.mpcwallet.crypto.parity.ParityRunner", "org.mpcwallet.crypto.parity.InProcessRun",
                "org.mpcwallet.crypto.parity.TestRingPedersen")) {
            if (main.contain(name)) {
                throw new AssertionError(name + " is main code; test support lives in src/test");
            }
        }
        noClasses().should().resideInAPackage("org.mpcwallet.crypto.parity..").allowEmptyShould(true).check(main);
        if (!main.contain("org.mpcwallet.crypto.core.Bytes")) {
            throw new AssertionError("the check above needs the main classes imported");
        }
    }
}
