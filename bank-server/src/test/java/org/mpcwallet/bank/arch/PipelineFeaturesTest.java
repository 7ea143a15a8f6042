package org.mpcwallet.bank.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The custody pipeline's features (docs/architecture.md: transfer, approval, policy, kyt, deposit, token) use each
 * other in one direction only: no cycle between them, and none between the layers inside one feature, where the pure
 * {@code domain} uses no other layer.
 */
class PipelineFeaturesTest {
    private static JavaClasses pipeline() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mpcwallet.bank.pipeline");
        assertTrue(classes.size() > 40, () -> "expected the pipeline's classes, found " + classes.size());
        return classes;
    }

    @Test
    void theFeaturesFormNoCycle() {
        slices().matching("org.mpcwallet.bank.pipeline.(*)..").should().beFreeOfCycles().check(pipeline());
    }

    @Test
    void theLayersOfAFeatureFormNoCycle() {
        slices().matching("org.mpcwallet.bank.pipeline.(*).(*)..").should().beFreeOfCycles().check(pipeline());
    }
}
