package io.sfgateway.tokenexchange.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No constructor of a main class takes more than {@value #MAX_PARAMETERS} parameters, a record's
 * canonical constructor included: a longer one is a value that wants grouping, or a properties
 * class that wants to be bound by its setters. Parameters are counted as the class file has them,
 * so an enum's constructor also takes its name and ordinal.
 */
class ConstructorArityTest {

    private static final String ROOT = "io.sfgateway.tokenexchange";

    private static final int MAX_PARAMETERS = 5;

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    @Test
    void theMainClassesAreImported() {
        assertThat(MAIN.contain(ROOT + ".SalesforceSession")).isTrue();
    }

    @Test
    void noConstructorTakesMoreThanFiveParameters() {
        List<String> violations = MAIN.stream()
                .flatMap(type -> type.getConstructors().stream())
                .filter(constructor -> constructor.getRawParameterTypes().size() > MAX_PARAMETERS)
                .map(JavaConstructor::getFullName)
                .sorted()
                .toList();
        assertThat(violations).as("constructors with more than %d parameters", MAX_PARAMETERS).isEmpty();
    }
}
