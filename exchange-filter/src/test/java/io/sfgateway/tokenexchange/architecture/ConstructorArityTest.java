package io.sfgateway.tokenexchange.architecture;

import static io.sfgateway.tokenexchange.architecture.MainClasses.MAIN;
import static io.sfgateway.tokenexchange.architecture.MainClasses.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaConstructor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No constructor of a main class takes more than {@value #MAX_PARAMETERS} parameters, a record's
 * canonical constructor included: a longer one is a value that wants grouping, or a properties
 * class that wants to be bound by its setters. Parameters are counted as declared: an enum's
 * constructor, which the class file gives its name and ordinal too, is counted without those two.
 */
class ConstructorArityTest {

    private static final int MAX_PARAMETERS = 5;

    @Test
    void theMainClassesAreImported() {
        assertThat(MAIN.contain(ROOT + ".SalesforceSession")).isTrue();
    }

    @Test
    void noConstructorTakesMoreThanFiveParameters() {
        List<String> violations = MAIN.stream()
                .flatMap(type -> type.getConstructors().stream())
                .filter(constructor -> declaredParameters(constructor) > MAX_PARAMETERS)
                .map(JavaConstructor::getFullName)
                .sorted()
                .toList();
        assertThat(violations).as("constructors with more than %d parameters", MAX_PARAMETERS).isEmpty();
    }

    private static int declaredParameters(JavaConstructor constructor) {
        int compiled = constructor.getRawParameterTypes().size();
        return constructor.getOwner().isEnum() ? compiled - 2 : compiled;
    }
}
