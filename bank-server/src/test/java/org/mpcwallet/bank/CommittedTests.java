package org.mpcwallet.bank;

import io.micronaut.test.extensions.AbstractMicronautExtension;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.test.support.TestPropertyProviderFactory;
import java.util.Map;

/**
 * No {@code @MicronautTest} of this module runs its test methods inside a transaction that is rolled back at the end,
 * as micronaut-test does by default once Micronaut Data's transaction manager is present (docs/redesign.md
 * "Micronaut Data JDBC"): the bank's code commits, and the tests check what it committed through connections of their
 * own. Registered in {@code META-INF/services}; a test class's own {@code TestPropertyProvider} may still turn it on.
 */
public final class CommittedTests implements TestPropertyProviderFactory {

    @Override
    public TestPropertyProvider create(Map<String, Object> availableProperties, Class<?> testClass) {
        return () -> Map.of(AbstractMicronautExtension.TEST_TRANSACTIONAL, "false");
    }
}
