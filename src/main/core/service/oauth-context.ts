import type { RotationContext } from '../rotation/rotation-context';

/**
 * What the OAuth service needs of the core (not the service context: it is a member of it). Its
 * own file, so the grant helpers can name it without importing the service that uses them.
 */
export interface OAuthContext extends RotationContext {
  runtime: () => { baseUrl: string | null };
}
