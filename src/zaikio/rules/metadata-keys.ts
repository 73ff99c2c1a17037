import { Reflector } from '@nestjs/core';
import { AccessRuleOptions } from './access-rule';

/** Typed metadata keys: the guard and the OpenAPI builder read them, nothing else writes them. */
export const AccessRuleMetadata = Reflector.createDecorator<AccessRuleOptions>();
export const PublicMetadata = Reflector.createDecorator<true>();
