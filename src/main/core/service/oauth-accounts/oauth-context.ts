import type { RotationContext } from '../../rotation/rotation-context';

/**
 * What the OAuth service needs of the core (not the service context: it is a member of it). In
 * its own file so the service context and the client-credentials grant can name it without an
 * import cycle through oauth-service.ts.
 */
export interface OAuthContext extends RotationContext {
  runtime: () => { baseUrl: string | null };
}
