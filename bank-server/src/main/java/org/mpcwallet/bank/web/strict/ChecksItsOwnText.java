package org.mpcwallet.bank.web.strict;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a request body type whose service refuses control characters itself, with an audit event the strict body layer
 * could not write (the public login: docs/controls-hardening.md §5). Every other rule of {@link BodyShape} still
 * applies.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ChecksItsOwnText {
}
